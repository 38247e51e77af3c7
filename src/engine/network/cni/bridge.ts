import { nthAddress, prefixFromBits, type Prefix } from '../../addr/ip';
import { bridgeSegment, podRef, type SegmentId } from '../../scenario/ids';
import { FLANNEL_VNI, FLANNEL_VXLAN_PORT, VXLAN_OVERHEAD } from '../../scenario/defaults';
import type { BuildContext, NodeInfo, PodInfo } from '../context';
import { globalAddr } from '../devices';
import { macFor, vethNameFor } from '../mac';
import type { Device, FdbEntry, RouteEntry } from '../types';
import type { HostSide, PeerInstall, PodSide } from './types';

/**
 * The CNI bridge plugin's plumbing, which flannel delegates to and kubenet's
 * successor runs: a `cni0` bridge holding the range's `.1`, one `vethXXXXXXXX` port per
 * pod, pods on the range's prefix with `default via .1` (SPEC §3, §4).
 */
export const POD_ETH0_INDEX = 2;
export const vtepMac = (node: string) => macFor(`${node}/flannel.1`);
export const podMac = (pod: string) => macFor(`${pod}/eth0`);
export const hostVethName = (pod: string) => vethNameFor(`${pod}/eth0`);

/**
 * A pod's eth0, one end of its veth pair. What a CNI chooses is the address's prefix length,
 * the host end's name and ifindex base (host ports follow the node's own devices, one per pod
 * in scenario order) and the L2 segment the pair makes.
 */
export function podEth0(
  node: NodeInfo,
  p: PodInfo,
  mtu: number,
  own: { len: number; hostDevice: string; firstHostIndex: number; segment: SegmentId },
): Device {
  const ref = podRef(p.pod);
  const i = node.pods.findIndex((x) => podRef(x.pod) === ref);
  return {
    name: 'eth0',
    index: POD_ETH0_INDEX,
    kind: 'veth',
    mac: podMac(ref),
    mtu,
    state: 'UP',
    addresses: [globalAddr(p.ip, own.len)],
    peer: { namespace: node.node.name, device: own.hostDevice, index: own.firstHostIndex + i },
    segment: own.segment,
  };
}

/**
 * Device order follows the reference lab: lo 1, eth0 2, cni0 3, one veth per pod from 4,
 * flannel.1 after them (when flanneld runs VXLAN).
 */
export function bridgeHostSide(
  ctx: BuildContext,
  n: NodeInfo,
  mtu: number,
  flannelVxlan: boolean,
): HostSide {
  const name = n.node.name;
  const range = n.bridgeRange;
  const devices: Device[] = [];
  const routes: RouteEntry[] = [];
  const fdb: FdbEntry[] = [];
  if (!range) return { devices, routes, fdb };
  // the bridge plugin creates cni0 on the first pod's ADD (plugins/main/bridge: ensureBridge)
  if (n.pods.length > 0) {
    devices.push({
      name: 'cni0',
      index: 3,
      kind: 'bridge',
      mac: macFor(`${name}/cni0`),
      mtu,
      state: 'UP',
      addresses: [globalAddr(nthAddress(range, 1n), range.len)],
      segment: bridgeSegment(name),
    });
    n.pods.forEach((p, i) => {
      const ref = podRef(p.pod);
      const dev = hostVethName(ref);
      devices.push({
        name: dev,
        index: 4 + i,
        kind: 'veth',
        mac: macFor(`${ref}/veth`),
        mtu,
        state: 'UP',
        addresses: [],
        master: 'cni0',
        // flannel's cni-conf.json and kubenet ask the bridge plugin for "hairpinMode": true
        hairpin: ctx.scenario.cluster.bridgeHairpinMode !== false,
        peer: { namespace: ref, device: 'eth0', index: POD_ETH0_INDEX },
      });
      // the bridge learns each pod's MAC on its port; the port's own MAC is permanent
      fdb.push({ mac: podMac(ref), dev, master: 'cni0' });
      fdb.push({ mac: macFor(`${ref}/veth`), dev, master: 'cni0', permanent: true });
    });
    routes.push({
      dst: range,
      isDefault: false,
      dev: 'cni0',
      proto: 'kernel',
      scope: 'link',
      src: nthAddress(range, 1n),
    });
  }
  if (flannelVxlan) {
    devices.push({
      name: 'flannel.1',
      index: devices.length + 3,
      kind: 'vxlan',
      mac: vtepMac(name),
      mtu: n.subnet.mtu - VXLAN_OVERHEAD,
      // a vxlan device has no carrier state of its own
      state: 'UNKNOWN',
      addresses: [globalAddr(nthAddress(range, 0n), 32)],
      vxlan: { vni: FLANNEL_VNI, dstport: FLANNEL_VXLAN_PORT, local: n.ip, dev: 'eth0' },
    });
  }
  return { devices, routes, fdb };
}

/** A pod behind cni0: `<range> dev eth0 proto kernel scope link`, `default via <range .1>`. */
export function bridgePod(_ctx: BuildContext, node: NodeInfo, p: PodInfo, mtu: number): PodSide {
  const range = node.bridgeRange!;
  return {
    eth0: podEth0(node, p, mtu, {
      len: range.len,
      hostDevice: hostVethName(podRef(p.pod)),
      firstHostIndex: 4,
      segment: bridgeSegment(node.node.name),
    }),
    routes: [
      { dst: range, isDefault: false, dev: 'eth0', proto: 'kernel', scope: 'link', src: p.ip },
      {
        dst: prefixFromBits(4, 0n, 0),
        isDefault: true,
        via: nthAddress(range, 1n),
        dev: 'eth0',
      },
    ],
  };
}

/** Flannel host-gw / DirectRouting to a peer on the same subnet: `<B range> via <B nodeIP> dev eth0`. */
export const directRoute = (range: Prefix, peer: NodeInfo): PeerInstall => ({
  route: { dst: range, isDefault: false, via: peer.ip, dev: 'eth0' },
  neighbours: [],
  fdb: [],
});

/**
 * Flannel VXLAN: `<B range> via <B range .0> dev flannel.1 onlink`, with the ARP and FDB
 * entries flanneld writes first (backend/vxlan/vxlan_network.go handleSubnetEvents).
 */
export function flannelVxlanRoute(range: Prefix, peer: NodeInfo): PeerInstall {
  const via = nthAddress(range, 0n);
  const mac = vtepMac(peer.node.name);
  return {
    route: { dst: range, isDefault: false, via, dev: 'flannel.1', onlink: true },
    neighbours: [{ ip: via, dev: 'flannel.1', lladdr: mac, state: 'PERMANENT' }],
    fdb: [{ mac, dev: 'flannel.1', dst: peer.ip, self: true, permanent: true }],
  };
}

export const sameSubnet = (a: NodeInfo, b: NodeInfo): boolean =>
  a.subnet.subnet.name === b.subnet.subnet.name;
