import { prefixContains, sameIp, type IpAddr } from '../addr/ip';
import type { InstallError, InterfaceAddress, RouteEntry } from './types';
import { routeLine } from './routeLine';

/**
 * Adds routes the way `ip route add` does, with the kernel's refusals
 * (net/ipv4/fib_semantics.c fib_check_nh, fib_trie.c fib_table_insert):
 * the next hop is validated first, then an equal route (dst, len, metric) is EEXIST.
 */
export class RouteTableBuilder {
  readonly routes: RouteEntry[] = [];
  readonly errors: InstallError[] = [];
  /** dst/len/metric of every route, so EEXIST is one lookup (tables hold thousands of peers) */
  private readonly keys = new Set<string>();
  /** the on-link routes, the only ones a gateway can be reached through */
  private readonly linkRoutes: RouteEntry[] = [];

  constructor(private readonly localAddresses: readonly InterfaceAddress[]) {}

  private isLocal(a: IpAddr): boolean {
    return this.localAddresses.some((x) => sameIp(x.ip, a));
  }

  /** a `scope link` route through `dev` that covers the gateway */
  private gatewayIsConnected(gw: IpAddr, dev: string): boolean {
    return this.linkRoutes.some((r) => r.dev === dev && prefixContains(r.dst, gw));
  }

  add(route: RouteEntry): boolean {
    if (route.via) {
      const invalid =
        this.isLocal(route.via) ||
        (!route.onlink && !this.gatewayIsConnected(route.via, route.dev));
      if (invalid) {
        this.errors.push({
          command: `ip route add ${routeLine(route).trimEnd()}`,
          text: 'Error: Nexthop has invalid gateway.',
        });
        return false;
      }
    }
    const key = `${route.dst.bits}/${route.dst.len}/${route.metric ?? 0}`;
    if (this.keys.has(key)) {
      // iproute2 prints the bare netlink errno here (no extack message for EEXIST)
      this.errors.push({
        command: `ip route add ${routeLine(route).trimEnd()}`,
        text: 'RTNETLINK answers: File exists',
      });
      return false;
    }
    this.keys.add(key);
    this.routes.push(route);
    if (route.via === undefined && route.scope === 'link') this.linkRoutes.push(route);
    return true;
  }
}
