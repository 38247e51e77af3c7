import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { nthAddress, parseIp, prefixFromBits, type IpAddr, type Prefix } from '../../addr/ip';
import { podRef, vethSegment } from '../../scenario/ids';
import type { Pod } from '../../scenario/types';
import type { BuildContext, NodeInfo, PodInfo } from '../context';
import { globalAddr } from '../devices';
import { macFor } from '../mac';
import type { Device, RouteEntry } from '../types';
import { POD_ETH0_INDEX, podEth0, sameSubnet } from './bridge';
import type { HostSide, PeerInstall, PodSide } from './types';

/**
 * Calico's pod plumbing (issue 9, shared/reference/calico-seed-*.txt): no bridge. Each pod
 * gets `<ip>/32` and `default via 169.254.1.1 dev eth0` behind `169.254.1.1 dev eth0 scope
 * link`; the host end of its veth, `cali…`, has no address, the MAC ee:ee:ee:ee:ee:ee and
 * proxy_arp on, so the node answers ARP for the link-local gateway; the node routes each
 * pod by a `/32 dev cali… scope link`, its own block to a blackhole, and peers' blocks as
 * BIRD (or Felix) learned them.
 */

/** The host veth's MAC: Calico sets it fixed (cni-plugin dataplane/linux: "EE:EE:EE:EE:EE:EE") */
export const CALI_MAC = 'ee:ee:ee:ee:ee:ee';
/** The pod's gateway: a link-local address nobody holds, answered by proxy-ARP */
export const CALICO_GATEWAY: IpAddr = ipOf('169.254.1.1');

function ipOf(text: string): IpAddr {
  const r = parseIp(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/**
 * The host end of a pod's veth, as Calico names it: libcalico-go
 * lib/backend/k8s/conversion VethNameForWorkload(namespace, podname) — "cali" (Felix's
 * default FELIX_INTERFACEPREFIX) + the first 11 hex digits of sha1("<namespace>.<pod>").
 */
export function caliName(p: Pod): string {
  const ns = p.namespace ?? 'default';
  return `cali${bytesToHex(sha1(utf8ToBytes(`${ns}.${p.name}`))).slice(0, 11)}`;
}

export type CalicoEncap = 'none' | 'ipip' | 'vxlan';

/** Calico's tunnel devices, created at ifindex 3 (before any workload's veth) */
export const TUNL0 = 'tunl0';
export const VXLAN_CALICO = 'vxlan.calico';
/** Felix's VXLAN defaults: VNI 4096, the IANA port (felix config VXLANVNI, VXLANPort) */
export const CALICO_VNI = 4096;
export const CALICO_VXLAN_PORT = 4789;
export const calicoVtepMac = (node: string) => macFor(`${node}/vxlan.calico`);

/** The node's block: the pod range its IPAM numbers pods from (ipam/cniIpam.ts). */
const blockOf = (n: NodeInfo): Prefix | undefined => n.bridgeRange;

function tunnelDevice(n: NodeInfo, block: Prefix, encap: CalicoEncap): Device | undefined {
  // the block's first address is the tunnel's (calico-node allocates it: IPIP/VXLAN tunnel address)
  const own = globalAddr(nthAddress(block, 0n), 32);
  switch (encap) {
    case 'none':
      return undefined;
    case 'ipip':
      return {
        name: TUNL0,
        index: 3,
        kind: 'ipip',
        mac: '00:00:00:00:00:00',
        mtu: n.subnet.mtu - 20,
        state: 'UNKNOWN',
        addresses: [own],
        ipip: { ttl: 'inherit', tos: 0 },
      };
    case 'vxlan':
      return {
        name: VXLAN_CALICO,
        index: 3,
        kind: 'vxlan',
        mac: calicoVtepMac(n.node.name),
        mtu: n.subnet.mtu - 50,
        state: 'UNKNOWN',
        addresses: [own],
        vxlan: {
          vni: CALICO_VNI,
          dstport: CALICO_VXLAN_PORT,
          local: n.ip,
          dev: 'eth0',
        },
      };
  }
}

export function calicoHostSide(n: NodeInfo, mtu: number, encap: CalicoEncap): HostSide {
  const block = blockOf(n);
  if (!block) return { devices: [], routes: [], fdb: [] };
  const tunnel = tunnelDevice(n, block, encap);
  const devices: Device[] = tunnel ? [tunnel] : [];
  const first = 3 + devices.length;
  const routes: RouteEntry[] = [];
  n.pods.forEach((p, i) => {
    const dev = caliName(p.pod);
    devices.push({
      name: dev,
      index: first + i,
      kind: 'veth',
      mac: CALI_MAC,
      mtu,
      state: 'UP',
      addresses: [],
      peer: { namespace: podRef(p.pod), device: 'eth0', index: POD_ETH0_INDEX },
      segment: vethSegment(podRef(p.pod)),
      // Felix's configureInterface (felix/dataplane/linux/endpoint_mgr.go): proxy_arp=1,
      // rp_filter=1, route_localnet=1, proxy_delay=0; forwarding=1 is the node's
      sysctls: { proxyArp: true, rpFilter: 1, routeLocalnet: true, proxyDelay: 0 },
    });
    // the CNI plugin's route to the workload (cni-plugin dataplane/linux SetupRoutes)
    routes.push({ dst: prefixFromBits(4, p.ip.bits, 32), isDefault: false, dev, scope: 'link' });
  });
  // BIRD's export filter blackholes the node's own affine block (VXLAN: Felix, proto 80)
  routes.push({
    dst: block,
    isDefault: false,
    type: 'blackhole',
    dev: 'lo',
    proto: encap === 'vxlan' ? '80' : 'bird',
  });
  return { devices, routes, fdb: [] };
}

/**
 * A route to a peer's block: BGP straight over eth0, IPIP `dev tunl0 onlink` to the peer's
 * node IP, VXLAN `via <peer's vxlan.calico address> dev vxlan.calico onlink` with the
 * permanent ARP and FDB entries Felix writes. CrossSubnet encapsulates only to a peer on
 * another subnet.
 */
export function calicoPeer(
  self: NodeInfo,
  peer: NodeInfo,
  encap: CalicoEncap,
  crossSubnet: boolean,
): PeerInstall | undefined {
  const block = blockOf(peer);
  if (!block) return undefined;
  const mode = crossSubnet && sameSubnet(self, peer) ? 'none' : encap;
  switch (mode) {
    case 'none':
      return {
        route: { dst: block, isDefault: false, via: peer.ip, dev: 'eth0', proto: 'bird' },
        neighbours: [],
        fdb: [],
      };
    case 'ipip':
      return {
        route: {
          dst: block,
          isDefault: false,
          via: peer.ip,
          dev: TUNL0,
          proto: 'bird',
          onlink: true,
        },
        neighbours: [],
        fdb: [],
      };
    case 'vxlan': {
      const via = nthAddress(block, 0n);
      const mac = calicoVtepMac(peer.node.name);
      return {
        route: { dst: block, isDefault: false, via, dev: VXLAN_CALICO, onlink: true },
        neighbours: [{ ip: via, dev: VXLAN_CALICO, lladdr: mac, state: 'PERMANENT' }],
        fdb: [{ mac, dev: VXLAN_CALICO, dst: peer.ip, self: true, permanent: true }],
      };
    }
  }
}

/** A workload's eth0: `<ip>/32`, its gateway on-link by a scope link route. */
export const calicoPod =
  (encap: CalicoEncap) =>
  (_ctx: BuildContext, node: NodeInfo, p: PodInfo, mtu: number): PodSide => {
    // the tunnel device, if any, holds ifindex 3 (calicoHostSide)
    const tunnels = encap === 'none' ? 0 : 1;
    return {
      eth0: podEth0(node, p, mtu, {
        len: 32,
        hostDevice: caliName(p.pod),
        firstHostIndex: 3 + tunnels,
        segment: vethSegment(podRef(p.pod)),
      }),
      routes: [
        {
          dst: prefixFromBits(4, CALICO_GATEWAY.bits, 32),
          isDefault: false,
          dev: 'eth0',
          scope: 'link',
        },
        { dst: prefixFromBits(4, 0n, 0), isDefault: true, via: CALICO_GATEWAY, dev: 'eth0' },
      ],
    };
  };
