import { ruleComment } from '../network/iptablesRule';
import type { Namespace } from '../network/types';
import { sourceAddress, type FibResult } from './fib';
import type { Consulted, Hop } from './hop';
import {
  conntrackLineAt,
  reverseNat,
  rewritePorts,
  runChain,
  tupleOf,
  type ConntrackEntry,
  type ConntrackMoment,
} from './netfilter';
import { outerIp, replaceOuterIp, transport, type Packet } from './packet';
import type { State, Walker } from './walker';

/** The walk's side of kube-proxy: DNAT to an endpoint, MASQUERADE, REJECT, and conntrack's un-NAT of replies. */
export const endpointText = (pkt: Packet) => {
  const ip = outerIp(pkt);
  const l4 = transport(pkt);
  return l4 && l4.kind !== 'icmp' ? `${ip.dst.text}:${l4.dport}` : ip.dst.text;
};

/**
 * kube-proxy's DNAT (nat PREROUTING for traffic arriving, OUTPUT for the
 * host's own): the KUBE-SERVICES → KUBE-SVC → KUBE-SEP ladder picks an
 * endpoint, conntrack remembers it for the reply. Returns the rewritten packet.
 */
export function serviceDnat(
  w: Walker,
  ns: Namespace,
  chain: 'PREROUTING' | 'OUTPUT',
  pkt: Packet,
  inbound: Partial<Hop>,
): { pkt: Packet; mark: number; entry?: ConntrackEntry } {
  const nat = ns.iptables?.nat;
  if (!nat) return { pkt, mark: 0 };
  const res = runChain(nat, chain, pkt, ns, w.env);
  if (res.verdict.kind !== 'dnat') return { pkt, mark: res.mark };
  const v = res.verdict;
  const before = endpointText(pkt);
  const ip = outerIp(pkt);
  const l4 = transport(pkt);
  const rewritten = rewritePorts(
    replaceOuterIp(pkt, { ...ip, dst: v.to }),
    l4 && l4.kind !== 'icmp' ? l4.sport : 0,
    v.port,
  );
  const { proto, tuple } = tupleOf(pkt);
  const entry: ConntrackEntry = {
    namespace: ns.name,
    proto,
    orig: tuple,
    reply: { src: v.to, dst: ip.src, sport: v.port, dport: tuple.sport },
    nat: true,
  };
  w.env.conntrack.push(entry);
  const total =
    res.trail.length > 0
      ? nat.rules.filter(
          (r) =>
            r.chain ===
              res.trail.find(
                (t) =>
                  /^KUBE-SV[CL]-/.test(t.chain) &&
                  t.target.kind === 'jump' &&
                  t.target.chain.startsWith('KUBE-SEP-'),
              )?.chain &&
            !r.match.recent &&
            r.target.kind === 'jump' &&
            r.target.chain.startsWith('KUBE-SEP-'),
        ).length
      : 0;
  const how =
    v.probability !== undefined
      ? `-m statistic --probability ${v.probability.toFixed(11)}`
      : total > 1
        ? 'the last rule, reached when every earlier coin flip failed'
        : 'the only endpoint';
  w.push({
    namespace: ns.name,
    action: 'dnat',
    title: `${ns.name} DNATs ${before} → ${v.to.text}:${v.port} (endpoint ${v.endpoint + 1} of ${total}: ${how})`,
    ...inbound,
    consulted: [
      ...res.trail.map((r) => ({ table: 'nat' as const, line: r.line })),
      { table: 'conntrack', line: conntrackLineAt(entry, { at: 'first' }) },
    ],
    headers: rewritten,
    changes: [
      `destination ${before} → ${v.to.text}:${v.port}`,
      `each of the ${total} endpoints is picked with probability 1/${total}`,
    ],
  });
  return { pkt: rewritten, mark: res.mark, entry };
}

/**
 * nat POSTROUTING: KUBE-POSTROUTING masquerades what KUBE-MARK-MASQ marked.
 * Only a connection's first packet (`fresh`) meets the nat table; conntrack
 * rewrites the rest (nf_nat_inet_fn runs the chain while the NAT is unset).
 */
export function masquerade(
  w: Walker,
  ns: Namespace,
  r: FibResult,
  pkt: Packet,
  mark: number,
  entry: ConntrackEntry | undefined,
  devOut: string,
  fresh: boolean,
): Packet {
  const nat = ns.iptables?.nat;
  if (!nat || !fresh) return pkt;
  const res = runChain(nat, 'POSTROUTING', pkt, ns, w.env, mark);
  if (res.verdict.kind !== 'masquerade') return pkt;
  const ip = outerIp(pkt);
  const src = sourceAddress(ns, r.route, ip.dst);
  if (!src) return pkt;
  const out = replaceOuterIp(pkt, { ...ip, src });
  if (entry) entry.reply = { ...entry.reply, dst: src };
  w.push({
    namespace: ns.name,
    action: 'snat',
    title: `${ns.name} masquerades the source ${ip.src.text} → ${src.text}`,
    devOut,
    consulted: res.trail.map((t) => ({ table: 'nat' as const, line: t.line })),
    headers: out,
    changes: [`source ${ip.src.text} → ${src.text} (MASQUERADE: the address of ${devOut})`],
  });
  return out;
}

/**
 * filter: what kube-proxy's filter rules do with a new connection. A Service without
 * endpoints is REJECTed with icmp-port-unreachable; one whose traffic policy is Local and
 * that has no endpoint on this node is DROPped (KUBE-EXTERNAL-SERVICES, KUBE-SERVICES); a
 * load balancer address from a source outside loadBalancerSourceRanges is DROPped by
 * KUBE-PROXY-FIREWALL. Every packet meets the filter table; kube-proxy's jumps match only a
 * new connection's (`-m conntrack --ctstate NEW`).
 */
export interface FilterRefusal {
  readonly kind: 'reject' | 'drop';
  /** every rule the packet matched, the deciding one last */
  readonly lines: readonly string[];
  /** the deciding rule's comment: `default/web:http has no local endpoints` */
  readonly why: string;
}
export function refusedByFilter(
  ns: Namespace,
  chain: 'INPUT' | 'FORWARD' | 'OUTPUT',
  pkt: Packet,
  w: Walker,
  fresh: boolean,
  mark = 0,
): FilterRefusal | undefined {
  const filter = ns.iptables?.filter;
  if (!filter) return undefined;
  const res = runChain(filter, chain, pkt, ns, w.env, mark, fresh);
  const v = res.verdict.kind;
  if (v !== 'reject' && v !== 'drop') return undefined;
  const last = res.trail.at(-1)?.line ?? '';
  const why = ruleComment(last) ?? last;
  return { kind: v, lines: res.trail.map((r) => r.line), why };
}

/** The packet a filter rule refused, dropped: a REJECT answers port unreachable, a DROP nothing. */
export function dropRefused(
  w: Walker,
  ns: Namespace,
  pkt: Packet,
  r: FilterRefusal,
  inbound: Partial<Hop>,
): State {
  return w.drop(
    ns,
    pkt,
    refusalText(pkt, r),
    r.kind === 'reject' ? { kind: 'icmp', icmp: 'port' } : { kind: 'silent' },
    { ...inbound, consulted: r.lines.map((line) => ({ table: 'filter', line })) },
  );
}

/** The hop's words for a refusal: what the rule does, and why kube-proxy wrote it. */
export function refusalText(pkt: Packet, r: FilterRefusal): string {
  return r.kind === 'reject'
    ? `${endpointText(pkt)}: REJECT --reject-with icmp-port-unreachable (${r.why})`
    : `${endpointText(pkt)}: DROP (${r.why})`;
}

/**
 * A hook the walk passes without acting on its verdict here (filter INPUT, a
 * bridged frame's chains, a VXLAN packet leaving): the packet is only counted.
 * The nat table sees a connection's first packet only.
 */
export function countHook(
  w: Walker,
  ns: Namespace,
  table: 'nat' | 'filter',
  chain: string,
  pkt: Packet,
  fresh: boolean,
): void {
  const t = ns.iptables?.[table];
  if (!t || (table === 'nat' && !fresh)) return;
  runChain(t, chain, pkt, ns, w.env, 0, fresh);
}

/** The moment a reply moves its entry: a TCP reply by its flags (SYN-ACK or RST). */
function replyMoment(pkt: Packet): ConntrackMoment {
  const l4 = transport(pkt);
  return l4?.kind === 'tcp' ? { at: 'reply', flags: l4.flags } : { at: 'reply' };
}

/** conntrack rewrites a reply of a NATed connection back to what the client spoke to. */
export function unNat(
  w: Walker,
  ns: Namespace,
  e: ConntrackEntry,
  pkt: Packet,
  inbound: Partial<Hop>,
  via?: Consulted,
): Packet {
  const before = outerIp(pkt);
  const out = reverseNat(e, pkt);
  const after = outerIp(out);
  w.push({
    namespace: ns.name,
    action: 'undnat',
    title: `${ns.name}'s conntrack un-NATs the reply: source ${before.src.text} → ${after.src.text}`,
    ...inbound,
    consulted: [
      ...(via ? [via] : []),
      { table: 'conntrack', line: conntrackLineAt(e, replyMoment(pkt)) },
    ],
    headers: out,
    changes: [
      `source ${before.src.text} → ${after.src.text} (the client sees the address it connected to)`,
      ...(before.dst.bits !== after.dst.bits
        ? [`destination ${before.dst.text} → ${after.dst.text}`]
        : []),
    ],
  });
  return out;
}
