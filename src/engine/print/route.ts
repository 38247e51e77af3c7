import { routeLine } from '../network/routeLine';
import type { Namespace, RouteEntry } from '../network/types';

/**
 * The order `ip route` dumps table main in. fib_trie walks its leaves by key
 * ascending (the network address); inside one leaf the aliases are kept by
 * suffix length ascending, i.e. the longest prefix first
 * (net/ipv4/fib_trie.c fib_insert_alias), and routes of one prefix by
 * priority (fib_find_alias). So `0.0.0.0/1` prints before `default`.
 */
export function kernelRouteOrder(routes: readonly RouteEntry[]): RouteEntry[] {
  return [...routes].sort((a, b) => {
    if (a.dst.bits !== b.dst.bits) return a.dst.bits < b.dst.bits ? -1 : 1;
    if (a.dst.len !== b.dst.len) return b.dst.len - a.dst.len;
    return (a.metric ?? 0) - (b.metric ?? 0);
  });
}

/** `ip route` (table main), one line a route, each with iproute2's trailing space. */
export function printRoutes(ns: Namespace): string {
  return kernelRouteOrder(ns.routes).map(routeLine).join('\n');
}
