import { podRef } from '../scenario/ids';
import type { BuildContext, NodeInfo, PodInfo } from './context';
import { loopback } from './devices';
import { podMtu } from './node';
import { RouteTableBuilder } from './routeTable';
import type { Namespace } from './types';

/**
 * A pod's network namespace, held by its pause container (SPEC §3): `lo` and
 * `eth0`, one end of a veth pair whose other end the CNI plugs into the node.
 */
export function buildPod(ctx: BuildContext, node: NodeInfo, p: PodInfo): Namespace {
  const side = ctx.cni.pod(ctx, node, p, podMtu(ctx, node));
  const devices = [loopback(), side.eth0];
  const table = new RouteTableBuilder(devices.flatMap((d) => d.addresses));
  for (const r of side.routes) table.add(r);
  return {
    name: podRef(p.pod),
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
