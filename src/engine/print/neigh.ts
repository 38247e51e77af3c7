import type { Namespace } from '../network/types';

/**
 * `ip neigh`: the stored (PERMANENT) entries, in the order they were added.
 * iproute2 >= 5.16 ends every attribute, the state included, with a space
 * (ip/ipneigh.c print_neigh, print_neigh_state).
 */
export function printNeigh(ns: Namespace): string {
  return ns.neighbours
    .map((n) => `${n.ip.text} dev ${n.dev} lladdr ${n.lladdr} ${n.state} `)
    .join('\n');
}
