import { podRef } from '../scenario/ids';
import { nthAddress, prefixFromBits } from '../addr/ip';
import type { BuildContext, NodeInfo, PodInfo } from './context';
import { globalAddr, loopback } from './devices';
import { bridgeSegment } from '../scenario/ids';
import { hostVethName, podMac, podMtu, POD_ETH0_INDEX } from './node';
import { RouteTableBuilder } from './routeTable';
import type { Device, Namespace } from './types';

/**
 * A pod's network namespace, held by its pause container (SPEC §3): `lo` and
 * `eth0`, one end of a veth pair whose other end is a port of the node's cni0.
 */
export function buildPod(ctx: BuildContext, node: NodeInfo, p: PodInfo): Namespace {
  const range = node.bridgeRange!;
  const ref = podRef(p.pod);
  const index = node.pods.findIndex((x) => podRef(x.pod) === ref);
  const eth0: Device = {
    name: 'eth0',
    index: POD_ETH0_INDEX,
    kind: 'veth',
    mac: podMac(ref),
    mtu: podMtu(ctx, node),
    state: 'UP',
    addresses: [globalAddr(p.ip, range.len)],
    peer: { namespace: node.node.name, device: hostVethName(ref), index: 4 + index },
    segment: bridgeSegment(node.node.name),
  };
  const devices = [loopback(), eth0];
  const table = new RouteTableBuilder(devices.flatMap((d) => d.addresses));
  table.add({
    dst: range,
    isDefault: false,
    dev: 'eth0',
    proto: 'kernel',
    scope: 'link',
    src: p.ip,
  });
  table.add({
    dst: prefixFromBits(4, 0n, 0),
    isDefault: true,
    via: nthAddress(range, 1n),
    dev: 'eth0',
  });
  return {
    name: ref,
    kind: 'pod',
    node: node.node.name,
    devices,
    routes: table.routes,
    neighbours: [],
    fdb: [],
    ipForward: false,
    installErrors: table.errors,
  };
}
