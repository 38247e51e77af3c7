import { bridgeSegment, podRef, subnetSegment } from '../scenario/ids';
import { nthAddress, prefixFromBits } from '../addr/ip';
import { FLANNEL_VNI, FLANNEL_VXLAN_PORT, VXLAN_OVERHEAD } from '../scenario/defaults';
import { usesVxlan, type BuildContext, type NodeInfo } from './context';
import { crossNodeRoute } from './datapath';
import { globalAddr, loopback } from './devices';
import { macFor, vethNameFor } from './mac';
import { RouteTableBuilder } from './routeTable';
import type { Device, FdbEntry, Namespace, Neighbour } from './types';

export const POD_ETH0_INDEX = 2;
export const vtepMac = (node: string) => macFor(`${node}/flannel.1`);
export const podMac = (pod: string) => macFor(`${pod}/eth0`);
export const hostVethName = (pod: string) => vethNameFor(`${pod}/eth0`);

/** The MTU the CNI gives pods: flannel writes FLANNEL_MTU = underlay MTU − 50 for VXLAN. */
export function podMtu(ctx: BuildContext, node: NodeInfo): number {
  return usesVxlan(ctx.scenario) ? node.subnet.mtu - VXLAN_OVERHEAD : node.subnet.mtu;
}

/** flanneld starts only on a node with a podCIDR (it fails: "pod cidr not assigned"). */
const runsFlannel = (ctx: BuildContext, n: NodeInfo) =>
  usesVxlan(ctx.scenario) && n.bridgeRange !== undefined;

/**
 * The host side of a node (SPEC §4, §5). Device order follows the reference lab:
 * lo 1, eth0 2, cni0 3, one veth per pod from 4, flannel.1 after them.
 */
export function buildNode(ctx: BuildContext, n: NodeInfo): Namespace {
  const name = n.node.name;
  const subnet = n.subnet;
  const devices: Device[] = [loopback()];
  const eth0: Device = {
    name: 'eth0',
    index: 2,
    kind: 'ethernet',
    mac: macFor(`${name}/eth0`),
    mtu: subnet.mtu,
    state: 'UP',
    addresses: [globalAddr(n.ip, subnet.cidr.len)],
    segment: subnetSegment(subnet.subnet.name),
  };
  devices.push(eth0);
  const range = n.bridgeRange;
  const mtu = podMtu(ctx, n);
  // the bridge plugin creates cni0 on the first pod's ADD (plugins/main/bridge: ensureBridge)
  const hasBridge = range !== undefined && n.pods.length > 0;
  if (range && hasBridge) {
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
      devices.push({
        name: hostVethName(podRef(p.pod)),
        index: 4 + i,
        kind: 'veth',
        mac: macFor(`${podRef(p.pod)}/veth`),
        mtu,
        state: 'UP',
        addresses: [],
        master: 'cni0',
        peer: { namespace: podRef(p.pod), device: 'eth0', index: POD_ETH0_INDEX },
      });
    });
  }
  if (range && runsFlannel(ctx, n)) {
    devices.push({
      name: 'flannel.1',
      index: devices.length + 1,
      kind: 'vxlan',
      mac: vtepMac(name),
      mtu: subnet.mtu - VXLAN_OVERHEAD,
      // a vxlan device has no carrier state of its own
      state: 'UNKNOWN',
      addresses: [globalAddr(nthAddress(range, 0n), 32)],
      vxlan: { vni: FLANNEL_VNI, dstport: FLANNEL_VXLAN_PORT, local: n.ip, dev: 'eth0' },
    });
  }

  const table = new RouteTableBuilder(devices.flatMap((d) => d.addresses));
  table.add({
    dst: subnet.cidr,
    isDefault: false,
    dev: 'eth0',
    proto: 'kernel',
    scope: 'link',
    src: n.ip,
  });
  table.add({ dst: prefixFromBits(4, 0n, 0), isDefault: true, via: subnet.gateway, dev: 'eth0' });
  if (range && hasBridge) {
    table.add({
      dst: range,
      isDefault: false,
      dev: 'cni0',
      proto: 'kernel',
      scope: 'link',
      src: nthAddress(range, 1n),
    });
  }
  const neighbours: Neighbour[] = [];
  const fdb: FdbEntry[] = [];
  if (hasBridge) {
    // the bridge learns each pod's MAC on its port; the port's own MAC is permanent
    for (const p of n.pods) {
      const ref = podRef(p.pod);
      const dev = hostVethName(ref);
      fdb.push({ mac: podMac(ref), dev, master: 'cni0' });
      fdb.push({ mac: macFor(`${ref}/veth`), dev, master: 'cni0', permanent: true });
    }
  }
  // flanneld with no lease of its own installs nothing (it exits before watching peers)
  if (range) {
    for (const peer of ctx.nodeOrder) {
      if (peer === n) continue;
      const route = crossNodeRoute(ctx.scenario.cluster.datapath, n, peer, vtepMac(peer.node.name));
      switch (route.kind) {
        case 'none':
          break;
        case 'direct':
          table.add({ dst: route.dst, isDefault: false, via: route.via, dev: 'eth0' });
          break;
        case 'vxlan':
          if (!runsFlannel(ctx, n)) break;
          // flannel vxlan_network.go handleSubnetEvents: ARP, FDB, then the route
          if (
            table.add({
              dst: route.dst,
              isDefault: false,
              via: route.via,
              dev: 'flannel.1',
              onlink: true,
            })
          ) {
            neighbours.push({
              ip: route.via,
              dev: 'flannel.1',
              lladdr: route.vtepMac,
              state: 'PERMANENT',
            });
            fdb.push({
              mac: route.vtepMac,
              dev: 'flannel.1',
              dst: route.remote,
              self: true,
              permanent: true,
            });
          }
          break;
      }
    }
  }
  return {
    name,
    kind: 'node',
    node: n.node.name,
    devices,
    routes: table.routes,
    neighbours,
    fdb,
    ipForward: true,
    installErrors: table.errors,
    iptables: ctx.kubeProxyTables(),
    // kubeadm's preflight requires it; without it same-node Service replies skip conntrack
    bridgeNfCallIptables: ctx.scenario.cluster.bridgeNfCallIptables !== false,
  };
}
