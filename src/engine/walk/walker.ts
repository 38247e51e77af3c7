import type { IpAddr } from '../addr/ip';
import { routeLine } from '../network/routeLine';
import type { Device, Namespace, Network } from '../network/types';
import type { FibResult } from './fib';
import type { Consulted, Hop, Leg } from './hop';
import type { NetfilterEnv } from './netfilter';
import type { Packet } from './packet';

/** Why a walk stopped short, and what the kernel sends back about it. */
export type DropKind =
  /** ENETUNREACH at the sender: `connect: Network is unreachable` */
  | { readonly kind: 'localNoRoute' }
  /** EMSGSIZE at the sender: `local error: message too long, mtu=1450` */
  | { readonly kind: 'localMsgSize'; readonly mtu: number }
  /** an ICMP error goes back to the source: net (0) / host (1) / port (3) unreachable, frag needed (4), time exceeded */
  | {
      readonly kind: 'icmp';
      readonly icmp: 'net' | 'host' | 'port' | 'fragNeeded' | 'timeExceeded';
      readonly mtu?: number;
    }
  /** dropped with no word to anyone (cloud fabric, vxlan without FDB, a routing loop) */
  | { readonly kind: 'silent' };

export type WalkEnd =
  | {
      readonly kind: 'delivered';
      readonly namespace: string;
      readonly device: string;
      readonly packet: Packet;
      /** it arrived for a subnet broadcast address of the namespace (RTN_BROADCAST): nothing answers it with an ICMP error */
      readonly broadcast?: true;
    }
  | {
      readonly kind: 'dropped';
      readonly namespace: string;
      readonly reason: string;
      readonly drop: DropKind;
      readonly packet: Packet;
    };

export interface WalkResult {
  readonly hops: readonly Hop[];
  readonly end: WalkEnd;
}

export type State =
  | { readonly at: 'output'; readonly ns: Namespace; readonly pkt: Packet }
  | {
      readonly at: 'receive';
      readonly ns: Namespace;
      readonly dev: string;
      readonly port?: string;
      readonly pkt: Packet;
    }
  | {
      readonly at: 'transmit';
      readonly ns: Namespace;
      readonly dev: Device;
      readonly nexthop: IpAddr;
      readonly pkt: Packet;
      readonly hop: number;
    }
  | { readonly at: 'end'; readonly end: WalkEnd };

export type Transmit = Extract<State, { at: 'transmit' }>;

/** What every step of one walk shares: the network, connection state, and the hop log. */
export interface Walker {
  readonly net: Network;
  readonly env: NetfilterEnv;
  readonly leg: Leg;
  push(h: Omit<Hop, 'leg'>): number;
  /** the index of the last hop logged */
  lastHop(): number;
  drop(ns: Namespace, pkt: Packet, reason: string, kind: DropKind, extra?: Partial<Hop>): State;
  /** records the frame the hop at `i` put on an L2 segment */
  setWire(i: number, segment: string, frame: Packet): void;
}

/**
 * Lines of table local as `ip route show table local` prints them (no
 * `table local`: iproute2 names the table only when listing more than one).
 */
export const localLine = (dst: string, dev: string, src = dst) =>
  `local ${dst} dev ${dev} proto kernel scope host src ${src} `;

export const broadcastLine = (addr: string, dev: string, src: string) =>
  `broadcast ${addr} dev ${dev} proto kernel scope link src ${src} `;

export const routeConsulted = (r: FibResult): Consulted =>
  r.local
    ? {
        table: 'local',
        line: localLine(
          r.route.dst.len === 32 ? r.nexthop.text : r.route.dst.text,
          r.route.dev,
          r.route.src?.text ?? r.nexthop.text,
        ),
      }
    : { table: 'route', line: routeLine(r.route) };
