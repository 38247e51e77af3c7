import type { Packet } from './packet';
import type { DropKind } from './walker';

export type HopAction =
  | 'send'
  | 'forward'
  | 'bridge'
  | 'encapsulate'
  | 'decapsulate'
  | 'dnat'
  | 'undnat'
  | 'snat'
  | 'deliver'
  | 'drop';

/** A table line the packet was held against: the `why` of a hop. */
export interface Consulted {
  /** `ip route`, `ip route show table local`, `ip neigh`, `bridge fdb`, or the cloud fabric's rule */
  readonly table:
    | 'route'
    | 'local'
    | 'neigh'
    | 'fdb'
    | 'cloud'
    | 'sysctl'
    | 'nat'
    | 'filter'
    | 'conntrack'
    /** `bridge -d link show dev PORT`: a bridge port's flags (hairpin) */
    | 'link';
  readonly line: string;
}

export type Leg = 'request' | 'reply' | 'error';

export interface Hop {
  readonly namespace: string;
  readonly leg: Leg;
  readonly action: HopAction;
  /** a one-line summary: "node1 routes 172.17.2.2 via flannel.1" */
  readonly title: string;
  readonly devIn?: string;
  readonly devOut?: string;
  /** bridge ports crossed (`vethXXXX`) on the way in or out of a node's cni0 */
  readonly portIn?: string;
  readonly portOut?: string;
  readonly consulted: readonly Consulted[];
  /** the header stack as the packet stands after this hop, outer first */
  readonly headers: Packet;
  /** what this hop changed: "TTL 64 → 63", "outer header added" … */
  readonly changes: readonly string[];
  /** the frame this hop put on an L2 segment (underlay subnet or bridge), with its Ethernet header */
  readonly wire?: { readonly segment: string; readonly frame: Packet };
  /** for a drop: the reason, in the kernel's (or the cloud's) words */
  readonly reason?: string;
  /** for a drop: what the kernel does about it (an ICMP error, an errno, nothing) */
  readonly drop?: DropKind;
  /** set when the drop happened on an underlay segment (the cloud fabric), not inside a namespace */
  readonly segment?: string;
  /**
   * the headers stand for a train of this many fragments of one datagram, all
   * taking this path (the headers show the first; `fragmentsOf` unrolls them)
   */
  readonly fragments?: number;
  /** on a delivery (or a decapsulation): the first fragment as it arrived, before ip_defrag rebuilt the datagram */
  readonly reassembledFrom?: Packet;
  /** what else is true of this hop, one line each (a NetworkPolicy the CNI stores but does not enforce) */
  readonly notes?: readonly string[];
}
