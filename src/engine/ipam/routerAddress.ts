import { objectKey } from '../scenario/ids';
import {
  broadcastAddress,
  familyWidth,
  ipFromBits,
  parseIp,
  parsePrefix,
  type IpAddr,
} from '../addr/ip';
import type { Problem } from '../scenario/problems';
import type { RouterName, Scenario, SubnetName } from '../scenario/types';

/**
 * The address each router holds on each subnet it joins (podhop's rule, not a
 * kernel one — a subnet has one gateway, and two interfaces holding the same
 * address would answer ARP for it together):
 *
 * - the first router in scenario order that joins a subnet holds the subnet's
 *   gateway, the address the nodes there use as `default via`;
 * - every later router joining the same subnet is an ordinary host of it and
 *   takes the highest usable address not yet given to a router (`.254` of a
 *   /24, then `.253`, …), skipping the gateway. Node IPs are not skipped: a
 *   router's address never moves because a node was added, so a node on one of
 *   these addresses is a validation problem instead (`routerAddressProblems`).
 *
 * A subnet with no usable address left leaves the router without one there.
 */
export type RouterAddresses = ReadonlyMap<RouterName, ReadonlyMap<SubnetName, IpAddr | undefined>>;

export function routerAddresses(s: Scenario): RouterAddresses {
  const out = new Map<RouterName, Map<SubnetName, IpAddr | undefined>>();
  const taken = new Map<SubnetName, Set<bigint>>();
  for (const r of s.routers) {
    const mine = new Map<SubnetName, IpAddr | undefined>();
    out.set(r.name, mine);
    for (const sn of r.subnets) {
      if (mine.has(sn)) continue;
      const sub = s.subnets.find((x) => x.name === sn);
      const cidr = sub ? parsePrefix(sub.cidr) : undefined;
      const gw = sub ? parseIp(sub.gateway) : undefined;
      if (!cidr?.ok || !gw?.ok) {
        mine.set(sn, undefined);
        continue;
      }
      const used = taken.get(sn);
      if (!used) {
        // the first router on the subnet: its gateway
        taken.set(sn, new Set([gw.value.bits]));
        mine.set(sn, gw.value);
        continue;
      }
      const p = cidr.value;
      const last = broadcastAddress(p).bits;
      // /31 and /32 have no network or broadcast address to keep clear (RFC 3021)
      const [lo, hi] =
        p.len >= familyWidth(p.family) - 1 ? [p.bits, last] : [p.bits + 1n, last - 1n];
      let pick: bigint | undefined;
      for (let a = hi; a >= lo; a--)
        if (!used.has(a)) {
          pick = a;
          break;
        }
      if (pick !== undefined) used.add(pick);
      mine.set(sn, pick === undefined ? undefined : ipFromBits(p.family, pick));
    }
  }
  return out;
}

/** A node on an address a router holds, or a router that found no address left on a subnet. */
export function routerAddressProblems(s: Scenario, addrs: RouterAddresses): Problem[] {
  const problems: Problem[] = [];
  const holder = new Map<string, { router: RouterName; subnet: SubnetName; dev: string }>();
  for (const r of s.routers) {
    r.subnets.forEach((sn, i) => {
      const a = addrs.get(r.name)?.get(sn);
      const sub = s.subnets.find((x) => x.name === sn);
      if (a) {
        if (!holder.has(`${sn}/${a.text}`))
          holder.set(`${sn}/${a.text}`, { router: r.name, subnet: sn, dev: `eth${i}` });
      } else if (sub && parsePrefix(sub.cidr).ok && parseIp(sub.gateway).ok)
        problems.push({
          kind: 'refused',
          object: objectKey('router', r.name),
          field: 'subnets',
          text: `subnet "${sn}" (${sub.cidr}) has no address left for router ${r.name}: its gateway and every usable address below the broadcast are held by other routers`,
        });
    });
  }
  for (const n of s.nodes) {
    const ip = parseIp(n.ip);
    if (!ip.ok) continue;
    const h = holder.get(`${n.subnet}/${ip.value.text}`);
    // the gateway itself is reported by validation already
    const sub = s.subnets.find((x) => x.name === n.subnet);
    if (h && sub?.gateway !== ip.value.text)
      problems.push({
        kind: 'refused',
        object: objectKey('node', n.name),
        field: 'ip',
        text: `node IP ${n.ip} is already used by router ${h.router} (${h.dev} on subnet ${h.subnet})`,
      });
  }
  return problems;
}
