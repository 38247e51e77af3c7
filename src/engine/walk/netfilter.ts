import { prefixContains, type IpAddr } from '../addr/ip';
import { chainRules, type CtState, type IptRule, type IptTable } from '../network/iptables';
import type { Namespace } from '../network/types';
import { isLocalAddress } from './fib';
import { flowHash, outerIp, replaceOuterIp, transport, type Packet, type TcpFlags } from './packet';

/** One connection as conntrack keeps it: the original direction and the reply it expects. */
export interface Tuple {
  readonly src: IpAddr;
  readonly dst: IpAddr;
  readonly sport: number;
  readonly dport: number;
}

export interface ConntrackEntry {
  /** the namespace (node) whose conntrack table holds it */
  readonly namespace: string;
  readonly proto: 'tcp' | 'udp' | 'icmp';
  readonly orig: Tuple;
  reply: Tuple;
  /** a NAT binding (kube-proxy's DNAT, MASQUERADE), not just a tracked flow */
  readonly nat: boolean;
  /** how the connection ended, for `conntrack -L` (TIME_WAIT, CLOSE, SYN_SENT [UNREPLIED]) */
  state?: 'replied' | 'refused' | 'unreplied';
}

/**
 * One packet a rule matched, or a built-in chain's policy took (`rule`
 * undefined): what the kernel adds to that counter (`iptables -v`).
 */
export interface RuleHit {
  readonly namespace: string;
  readonly table: 'nat' | 'filter';
  readonly chain: string;
  /** the rule as `iptables -S` prints it; undefined for the chain's policy */
  readonly rule?: string;
  /** the IP datagram's length, as the counter adds it */
  readonly bytes: number;
}

/** Connection state for one probe and its answer (conntrack lives per network namespace). */
export interface NetfilterEnv {
  readonly conntrack: ConntrackEntry[];
  /** every rule and policy a packet of this exchange was counted by, in order */
  readonly hits: RuleHit[];
  /** force the endpoint kube-proxy's random ladder picks (0-based); otherwise a flow hash decides */
  readonly pickEndpoint?: number;
  /** xt_recent's lists (session affinity): `<namespace> <list> <source>` seen with --set */
  readonly recent: Set<string>;
}

export const newNetfilterEnv = (pickEndpoint?: number): NetfilterEnv => ({
  conntrack: [],
  hits: [],
  recent: new Set(),
  ...(pickEndpoint !== undefined ? { pickEndpoint } : {}),
});

/**
 * When a line is printed: at the end of the exchange (`conntrack -L` afterwards), or at a hop,
 * as the packet there has just moved the entry — the first packet of a flow, or a reply with
 * its TCP flags.
 */
export type ConntrackMoment =
  | { readonly at: 'end' }
  | { readonly at: 'first' }
  | { readonly at: 'reply'; readonly flags?: TcpFlags };

/**
 * A `conntrack -L` line (conntrack-tools 1.4, nf_conntrack_proto_*.c): the
 * protocol, its timeout, the TCP state, the original tuple, [UNREPLIED] when no
 * answer came, the reply tuple, [ASSURED] once both directions were seen.
 *
 * At a hop the entry is where the kernel has just moved it (nf_conntrack_proto_tcp.c's
 * state table, with its timeouts, less the second conntrack prints as already gone): a
 * SYN makes it SYN_SENT (120 s) and UNREPLIED; the SYN-ACK, SYN_RECV (60 s), not yet
 * ASSURED — the client's ACK will make it ESTABLISHED [ASSURED]; a RST, CLOSE (10 s). A
 * UDP or ICMP flow is UNREPLIED (30 s) until its first answer.
 */
export const conntrackLine = (e: ConntrackEntry): string => conntrackLineAt(e, { at: 'end' });

export function conntrackLineAt(e: ConntrackEntry, moment: ConntrackMoment): string {
  const t = (x: Tuple) =>
    e.proto === 'icmp'
      ? `src=${x.src.text} dst=${x.dst.text}`
      : `src=${x.src.text} dst=${x.dst.text} sport=${x.sport} dport=${x.dport}`;
  const state =
    moment.at === 'first'
      ? 'unreplied'
      : moment.at === 'reply'
        ? moment.flags === 'R.'
          ? 'refused'
          : 'answered'
        : (e.state ?? 'replied');
  const unreplied =
    state === 'unreplied' || (state === 'refused' && e.proto !== 'tcp') ? ' [UNREPLIED]' : '';
  const orig = `${t(e.orig)}${e.proto === 'icmp' ? ` type=8 code=0 id=${e.orig.sport}` : ''}`;
  const reply = `${t(e.reply)}${e.proto === 'icmp' ? ` type=0 code=0 id=${e.orig.sport}` : ''}`;
  let head: string;
  let assured = '';
  if (e.proto === 'tcp') {
    // a client that completed its exchange closes first: TIME_WAIT (120 s); a RST leaves CLOSE (10 s)
    head =
      state === 'replied'
        ? 'tcp      6 119 TIME_WAIT'
        : state === 'answered'
          ? 'tcp      6 59 SYN_RECV'
          : state === 'refused'
            ? 'tcp      6 9 CLOSE'
            : 'tcp      6 119 SYN_SENT';
    if (state === 'replied') assured = ' [ASSURED]';
  } else head = e.proto === 'udp' ? 'udp      17 29' : 'icmp     1 29';
  return `${head} ${orig}${unreplied} ${reply}${assured} mark=0 use=1`;
}

export function tupleOf(pkt: Packet): { proto: 'tcp' | 'udp' | 'icmp'; tuple: Tuple } {
  const ip = outerIp(pkt);
  const l4 = transport(pkt);
  if (l4?.kind === 'tcp' || l4?.kind === 'udp')
    return {
      proto: l4.kind,
      tuple: { src: ip.src, dst: ip.dst, sport: l4.sport, dport: l4.dport },
    };
  const id =
    l4?.kind === 'icmp' && (l4.type === 'echo-request' || l4.type === 'echo-reply') ? l4.id : 0;
  return { proto: 'icmp', tuple: { src: ip.src, dst: ip.dst, sport: id, dport: id } };
}

const sameTuple = (a: Tuple, b: Tuple) =>
  a.src.bits === b.src.bits &&
  a.dst.bits === b.dst.bits &&
  a.sport === b.sport &&
  a.dport === b.dport;

/** The connection a packet belongs to in this namespace's conntrack table, and in which direction. */
export function conntrackFind(
  env: NetfilterEnv,
  ns: string,
  pkt: Packet,
): { entry: ConntrackEntry; reply: boolean } | undefined {
  const { proto, tuple } = tupleOf(pkt);
  for (const e of env.conntrack) {
    if (e.namespace !== ns || e.proto !== proto) continue;
    if (sameTuple(e.reply, tuple)) return { entry: e, reply: true };
    if (sameTuple(e.orig, tuple)) return { entry: e, reply: false };
  }
  return undefined;
}

/** A new flow seen by a namespace's conntrack, tracked without NAT (`conntrack -L` lists it). */
export function trackFlow(env: NetfilterEnv, ns: string, pkt: Packet): void {
  const { proto, tuple } = tupleOf(pkt);
  env.conntrack.push({
    namespace: ns,
    proto,
    orig: tuple,
    reply: { src: tuple.dst, dst: tuple.src, sport: tuple.dport, dport: tuple.sport },
    nat: false,
  });
}

/** Rewrites a reply so the client sees the address it spoke to (un-DNAT, un-SNAT). */
export function reverseNat(e: ConntrackEntry, pkt: Packet): Packet {
  const ip = outerIp(pkt);
  const rewritten = replaceOuterIp(pkt, { ...ip, src: e.orig.dst, dst: e.orig.src });
  return rewritePorts(rewritten, e.orig.dport, e.orig.sport);
}

export function rewritePorts(pkt: Packet, sport: number, dport: number): Packet {
  const i = pkt.findIndex((l) => l.kind === 'ipv4');
  const l4 = pkt[i + 1];
  if (!l4 || (l4.kind !== 'tcp' && l4.kind !== 'udp')) return pkt;
  return [...pkt.slice(0, i + 1), { ...l4, sport, dport }, ...pkt.slice(i + 2)];
}

export type ChainVerdict =
  | { readonly kind: 'accept' }
  | {
      readonly kind: 'dnat';
      readonly to: IpAddr;
      readonly port: number;
      readonly endpoint: number;
      readonly probability?: number;
    }
  | { readonly kind: 'reject' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'masquerade' };

export interface ChainResult {
  readonly verdict: ChainVerdict;
  /** every rule that matched, in the order the packet met them */
  readonly trail: readonly IptRule[];
  readonly mark: number;
}

/**
 * Runs a packet through a built-in chain of a table, following jumps and
 * RETURNs as iptables does. The statistic ladder of a KUBE-SVC chain is
 * decided by the flow (or by `pickEndpoint`), so a trace is reproducible.
 * Every rule that matches counts the packet, and so does the chain's policy
 * when the packet falls off its end (nf_tables' nft_do_chain counts the base
 * chain only there): the env's `hits`.
 */
export function runChain(
  table: IptTable,
  chain: string,
  pkt: Packet,
  ns: Namespace,
  env: NetfilterEnv,
  mark0 = 0,
  ctNew = true,
): ChainResult {
  const trail: IptRule[] = [];
  let mark = mark0;
  const ip = outerIp(pkt);
  const l4 = transport(pkt);
  const flow = `${ip.src.text}:${l4 && l4.kind !== 'icmp' ? l4.sport : 0}>${ip.dst.text}`;
  // conntrack's view of the packet: a first packet is NEW, the rest ESTABLISHED; DNAT once
  // kube-proxy rewrote where its connection goes
  const dnatted = env.conntrack.some(
    (e) =>
      e.namespace === ns.name &&
      e.nat &&
      e.reply.src.bits === ip.dst.bits &&
      e.orig.dst.bits !== ip.dst.bits,
  );
  const states = new Set<CtState>([
    ctNew ? 'NEW' : 'ESTABLISHED',
    ...(dnatted ? ['DNAT' as const] : []),
  ]);
  const matches = (r: IptRule, ladder: number): boolean => {
    const m = r.match;
    if (m.src && prefixContains(m.src.prefix, ip.src) === !!m.src.negate) return false;
    if (m.dst && !m.dstNegate && !prefixContains(m.dst, ip.dst)) return false;
    if (m.proto && (l4?.kind !== m.proto || ip.proto !== m.proto)) return false;
    if (m.dport !== undefined && (l4?.kind === 'icmp' || !l4 || l4.dport !== m.dport)) return false;
    if (m.dstNegate && m.dst && prefixContains(m.dst, ip.dst)) return false;
    if (m.mark && ((mark & m.mark.mask) === m.mark.value) === m.mark.negate) return false;
    if (m.dstLocal && !isLocalAddress(ns, ip.dst)) return false;
    if (m.srcLocal && !isLocalAddress(ns, ip.src)) return false;
    if (m.ctstate && m.ctstate.states.some((st) => states.has(st)) === m.ctstate.negate)
      return false;
    if (m.recent) {
      const key = `${ns.name} ${m.recent.name} ${ip.src.text}`;
      if (m.recent.mode === 'rcheck' && !env.recent.has(key)) return false;
      if (m.recent.mode === 'set') env.recent.add(key);
    }
    if (m.probability !== undefined) {
      if (env.pickEndpoint !== undefined) return ladder === env.pickEndpoint;
      return flowHash(`${flow}#${ladder}`) / 2 ** 32 < m.probability;
    }
    return true;
  };
  const walk = (name: string, depth: number): ChainVerdict | 'return' | undefined => {
    if (depth > 32) return undefined;
    let ladder = 0;
    for (const r of chainRules(table, name)) {
      // the statistic ladder to the endpoints; an affinity rule (-m recent --rcheck) is not a step
      const isLadder =
        r.target.kind === 'jump' && r.target.chain.startsWith('KUBE-SEP-') && !r.match.recent;
      const hit = matches(r, ladder);
      if (isLadder) ladder++;
      if (!hit) continue;
      trail.push(r);
      const t = r.target;
      switch (t.kind) {
        case 'jump': {
          const v = walk(t.chain, depth + 1);
          if (v && v !== 'return')
            return v.kind === 'dnat' && isLadder
              ? {
                  ...v,
                  endpoint: ladder - 1,
                  ...(r.match.probability !== undefined
                    ? { probability: r.match.probability }
                    : {}),
                }
              : v;
          break;
        }
        case 'return':
          return 'return';
        case 'mark':
          mark |= t.set;
          break;
        case 'clearMark':
          mark ^= t.bits;
          break;
        case 'accept':
          return { kind: 'accept' };
        case 'drop':
          return { kind: 'drop' };
        case 'none':
          break;
        case 'dnat':
          return { kind: 'dnat', to: t.to, port: t.port, endpoint: 0 };
        case 'masquerade':
          return { kind: 'masquerade' };
        case 'reject':
          return { kind: 'reject' };
      }
    }
    return undefined;
  };
  const v = walk(chain, 0);
  const counted = { namespace: ns.name, table: table.name, bytes: ip.length };
  for (const r of trail) env.hits.push({ ...counted, chain: r.chain, rule: r.line });
  if (!v || v === 'return') env.hits.push({ ...counted, chain });
  return { verdict: v && v !== 'return' ? v : { kind: 'accept' }, trail, mark };
}
