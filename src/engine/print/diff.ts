import type { Network } from '../network/types';
import { printRoutes } from './route';

export interface RouteDiff {
  readonly namespace: string;
  /** every line of the new table, with what happened to it */
  readonly lines: readonly { readonly line: string; readonly change: 'added' | 'kept' }[];
  readonly removed: readonly string[];
}

const routeLines = (net: Network | undefined, ns: string): string[] => {
  const space = net?.namespace(ns);
  return space
    ? printRoutes(space)
        .split('\n')
        .filter((l) => l !== '')
    : [];
};

/**
 * Which `ip route` lines appeared and disappeared in each namespace between two
 * builds (a datapath or IPAM switch). Namespaces are built on demand, so ask
 * only for the ones on screen.
 */
export function diffRoutes(
  before: Network | undefined,
  after: Network,
  namespaces: readonly string[],
): RouteDiff[] {
  return namespaces.map((namespace) => {
    const old = routeLines(before, namespace);
    const now = routeLines(after, namespace);
    const oldSet = new Set(old);
    const nowSet = new Set(now);
    return {
      namespace,
      lines: now.map((line) => ({
        line,
        change: oldSet.has(line) ? ('kept' as const) : ('added' as const),
      })),
      removed: old.filter((l) => !nowSet.has(l)),
    };
  });
}
