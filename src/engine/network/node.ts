import { prefixFromBits } from '../addr/ip';
import { subnetSegment } from '../scenario/ids';
import type { BuildContext, NodeInfo } from './context';
import { globalAddr, loopback } from './devices';
import { macFor } from './mac';
import { RouteTableBuilder } from './routeTable';
import type { Device, FdbEntry, Namespace, Neighbour } from './types';

export { hostVethName, podMac, POD_ETH0_INDEX, vtepMac } from './cni/bridge';

/** The MTU the CNI gives pods (flannel writes FLANNEL_MTU = underlay MTU − 50 for VXLAN). */
export function podMtu(ctx: BuildContext, node: NodeInfo): number {
  return ctx.cni.podMtu(node.subnet.mtu);
}

/**
 * The host side of a node (SPEC §4, §5): lo 1, eth0 2, then what the CNI puts there
 * (network/cni/) and the routes it installs for itself and for each peer.
 */
export function buildNode(ctx: BuildContext, n: NodeInfo): Namespace {
  const name = n.node.name;
  const subnet = n.subnet;
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
  const host = ctx.cni.hostSide(ctx, n, podMtu(ctx, n));
  const devices: Device[] = [loopback(), eth0, ...host.devices];

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
  for (const r of host.routes) table.add(r);
  const neighbours: Neighbour[] = [];
  const fdb: FdbEntry[] = [...host.fdb];
  // an agent with no pod range of its own installs nothing (flanneld exits before watching peers)
  if (n.bridgeRange) {
    for (const peer of ctx.nodeOrder) {
      if (peer === n) continue;
      const install = ctx.cni.peer(ctx, n, peer);
      // the neighbour and FDB entries stay only with the route they serve
      if (install && table.add(install.route)) {
        neighbours.push(...install.neighbours);
        fdb.push(...install.fdb);
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
    iptables: ctx.kubeProxyTables(n),
    // kubeadm's preflight requires it; without it same-node Service replies skip conntrack
    bridgeNfCallIptables: ctx.scenario.cluster.bridgeNfCallIptables !== false,
  };
}
