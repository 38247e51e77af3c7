import type { Router } from '../scenario/types';
import type { BuildContext } from './context';
import { globalAddr, loopback } from './devices';
import { macFor } from './mac';
import { subnetSegment } from './node';
import { RouteTableBuilder } from './routeTable';
import type { Device, Namespace } from './types';

/**
 * An underlay router (SPEC §4b): eth0, eth1, … one per subnet it joins, each
 * holding that subnet's gateway address. It knows its connected subnets and,
 * in the gateway datapath, `<podCIDR> via <nodeIP>` for every node on those
 * subnets (the cloud route table kubenet's route controller writes).
 */
export function buildRouter(ctx: BuildContext, r: Router): Namespace {
  const devices: Device[] = [loopback()];
  r.subnets.forEach((sn, i) => {
    const sub = ctx.subnets.get(sn);
    if (!sub) return;
    devices.push({
      name: `eth${i}`,
      index: 2 + i,
      kind: 'ethernet',
      mac: macFor(`${r.name}/eth${i}`),
      mtu: sub.mtu,
      state: 'UP',
      addresses: [globalAddr(sub.gateway, sub.cidr.len)],
      segment: subnetSegment(sn),
    });
  });
  const table = new RouteTableBuilder(devices.flatMap((d) => d.addresses));
  r.subnets.forEach((sn, i) => {
    const sub = ctx.subnets.get(sn);
    if (sub)
      table.add({
        dst: sub.cidr,
        isDefault: false,
        dev: `eth${i}`,
        proto: 'kernel',
        scope: 'link',
        src: sub.gateway,
      });
  });
  if (ctx.scenario.cluster.datapath === 'gateway') {
    r.subnets.forEach((sn, i) => {
      for (const n of ctx.nodesBySubnet.get(sn) ?? []) {
        if (n.bridgeRange)
          table.add({ dst: n.bridgeRange, isDefault: false, via: n.ip, dev: `eth${i}` });
      }
    });
  }
  return {
    name: r.name,
    kind: 'router',
    devices,
    routes: table.routes,
    neighbours: [],
    fdb: [],
    ipForward: true,
    installErrors: table.errors,
  };
}
