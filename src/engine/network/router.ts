import type { IpAddr } from '../addr/ip';
import type { RouterAddresses } from '../ipam/routerAddress';
import type { Router, SubnetName } from '../scenario/types';
import type { BuildContext } from './context';
import { globalAddr, loopback } from './devices';
import { macFor } from './mac';
import { subnetSegment } from '../scenario/ids';
import { RouteTableBuilder } from './routeTable';
import type { Device, Namespace } from './types';

/**
 * An underlay router (SPEC §4b): eth0, eth1, … one per subnet it joins, each
 * holding that subnet's gateway address — or, on a subnet an earlier router
 * already serves, the address `routerAddresses` gives it (the highest usable
 * one free). It knows its connected subnets and, under a CNI the cloud routes for (kubenet),
 * `<podCIDR> via <nodeIP>` for every node on those subnets (the cloud route
 * table kubenet's route controller writes).
 */
export function buildRouter(ctx: BuildContext, r: Router, addrs: RouterAddresses): Namespace {
  const addressOn = (sn: SubnetName): IpAddr | undefined => addrs.get(r.name)?.get(sn);
  const devices: Device[] = [loopback()];
  r.subnets.forEach((sn, i) => {
    const sub = ctx.subnets.get(sn);
    if (!sub) return;
    const own = addressOn(sn);
    devices.push({
      name: `eth${i}`,
      index: 2 + i,
      kind: 'ethernet',
      mac: macFor(`${r.name}/eth${i}`),
      mtu: sub.mtu,
      state: 'UP',
      addresses: own ? [globalAddr(own, sub.cidr.len)] : [],
      segment: subnetSegment(sn),
    });
  });
  const table = new RouteTableBuilder(devices.flatMap((d) => d.addresses));
  r.subnets.forEach((sn, i) => {
    const sub = ctx.subnets.get(sn);
    const own = addressOn(sn);
    // the prefix route comes with the address (fib_add_ifaddr): none without one
    if (sub && own)
      table.add({
        dst: sub.cidr,
        isDefault: false,
        dev: `eth${i}`,
        proto: 'kernel',
        scope: 'link',
        src: own,
      });
  });
  if (ctx.cni.cloudRoutes) {
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
