import { parseIp, type IpAddr } from '../addr/ip';
import type { Network } from '../network/types';
import { fibLookup, isLocalAddress, sourceAddress } from './fib';
import type { Hop } from './hop';
import {
  flowHash,
  IPV4_HEADER,
  outerIp,
  stripEth,
  transport,
  UDP_HEADER,
  type IcmpLayer,
  type Ipv4Layer,
  type Packet,
} from './packet';
import { ICMP_TEXT, icmpErrorText } from './icmpText';
import { newNetfilterEnv, type ConntrackEntry, type RuleHit } from './netfilter';
import { checkProbeArgs, defaultDport, resolveDestination, type ProbeError } from './probeCheck';
import { walkPacket, type WalkEnd, type WalkResult } from './walk';
import { err, ok, type Result } from '../result';

export type ProbeProtocol = 'icmp' | 'udp' | 'tcp';

/** What the user sends: `ping`, a traceroute probe, or a TCP/UDP connection attempt. */
export interface Probe {
  readonly from: string;
  readonly dst: string;
  readonly protocol: ProbeProtocol;
  /** UDP/TCP destination port */
  readonly dport?: number;
  readonly ttl?: number;
  /** ICMP payload bytes (`ping -s`), default 56; UDP/TCP payload bytes */
  readonly size?: number;
  /** Don't Fragment; Linux ping and TCP set it (path MTU discovery) */
  readonly df?: boolean;
  /** the client's source port (by default derived from the probe, so a trace is reproducible) */
  readonly sport?: number;
  /** which endpoint kube-proxy's random ladder picks (0-based); by default the flow decides */
  readonly endpoint?: number;
  /** sockets listening beside the containers' ports (a terminal's `nc -l`) */
  readonly sockets?: readonly ListeningSocket[];
}

/** A socket bound and listening in a namespace, beyond what the scenario's containers bind. */
export interface ListeningSocket {
  readonly namespace: string;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
}

export interface Verdict {
  readonly ok: boolean;
  /** what the tool prints: `64 bytes from …`, `From 172.17.1.1 icmp_seq=1 Destination Host Unreachable`, … */
  readonly text: string;
}

export interface Trace {
  readonly probe: Probe;
  readonly request: WalkResult;
  /** the echo reply / SYN-ACK / RST / ICMP error coming back, if anything was sent back */
  readonly response?: WalkResult;
  /** every hop of the request then of the response, in order */
  readonly hops: readonly Hop[];
  readonly verdict: Verdict;
  /** what the namespaces' conntrack tables hold once the exchange is over */
  readonly conntrack: readonly ConntrackEntry[];
  /** the iptables rules and policies each packet of the exchange was counted by (`iptables -v`) */
  readonly ruleHits: readonly RuleHit[];
}

export type { ProbeError } from './probeCheck';
export { defaultDport } from './probeCheck';

const ECHO_ID = 1;
const ZERO: IpAddr = { family: 4, bits: 0n, text: '0.0.0.0' };

/** Ports a node listens on without any pod (sshd, kubelet). */
const NODE_TCP_PORTS = [22, 10250];

function listening(
  net: Network,
  p: Probe,
  ns: string,
  protocol: 'tcp' | 'udp',
  port: number,
): boolean {
  if (p.sockets?.some((s) => s.namespace === ns && s.protocol === protocol && s.port === port))
    return true;
  const space = net.namespace(ns);
  if (!space) return false;
  if (space.kind === 'node') return protocol === 'tcp' && NODE_TCP_PORTS.includes(port);
  const pod = net.pod(ns);
  // a container that crash-loops never bound its ports
  const st = net.podStatus.get(ns as never);
  const ready = (name: string) =>
    st?.phase === 'Running' && st.containers.some((c) => c.name === name && c.ready);
  return (pod?.containers ?? []).some(
    (c) =>
      ready(c.name) &&
      (c.ports ?? []).some(
        (p) => p.containerPort === port && (p.protocol ?? 'TCP').toLowerCase() === protocol,
      ),
  );
}

function requestPacket(p: Probe, dst: IpAddr): Packet {
  const size = p.size ?? (p.protocol === 'icmp' ? 56 : 32);
  const id = flowHash(`${p.from}>${dst.text}/${p.protocol}/${p.ttl ?? 64}`) & 0xffff;
  const df = p.df ?? p.protocol !== 'udp';
  const base = { kind: 'ipv4' as const, src: ZERO, dst, ttl: p.ttl ?? 64, df, id, tos: 0 };
  switch (p.protocol) {
    case 'icmp':
      return [
        { ...base, proto: 'icmp', length: IPV4_HEADER + 8 + size },
        { kind: 'icmp', type: 'echo-request', id: ECHO_ID, seq: 1 },
      ];
    case 'udp':
      return [
        { ...base, proto: 'udp', length: IPV4_HEADER + UDP_HEADER + size },
        {
          kind: 'udp',
          sport: p.sport ?? 40000 + (id % 20000),
          dport: p.dport ?? defaultDport('udp'),
        },
      ];
    case 'tcp':
      // a SYN with the options Linux sends (mss, sackOK, TS, nop, wscale): 40 bytes of TCP header
      return [
        { ...base, proto: 'tcp', length: IPV4_HEADER + 40 },
        {
          kind: 'tcp',
          sport: p.sport ?? 40000 + (id % 20000),
          dport: p.dport ?? defaultDport('tcp'),
          flags: 'S',
        },
      ];
  }
}

/**
 * ping's socket defaults to IP_PMTUDISC_WANT: DF is set only on a packet that
 * fits the route's MTU; a bigger one leaves unmarked and is fragmented
 * (net/ipv4/ip_output.c __ip_make_skb). `ping -M do` forces DF.
 */
function withPmtuDf(net: Network, p: Probe, dst: IpAddr): Probe {
  if (p.df !== undefined || p.protocol !== 'icmp') return p;
  const ns = net.namespace(p.from);
  const r = ns ? fibLookup(ns, dst) : undefined;
  const mtu = r && ns ? ns.devices.find((d) => d.name === r.route.dev)?.mtu : undefined;
  return { ...p, df: mtu === undefined || IPV4_HEADER + 8 + (p.size ?? 56) <= mtu };
}

/** The ICMP error a namespace sends about a packet it could not handle (net/ipv4/icmp.c icmp_send). */
export type IcmpErrorSpec =
  | { readonly type: 'dest-unreach'; readonly code: 0 | 1 | 3 | 4; readonly mtu?: number }
  | { readonly type: 'time-exceeded' };

export function icmpError(
  net: Network,
  at: string,
  dropped: Packet,
  icmp: IcmpErrorSpec,
): Packet | undefined {
  const quotedPkt = stripEth(dropped);
  const orig = outerIp(quotedPkt);
  const l4 = transport(quotedPkt);
  // never an error about an error (RFC 1122 3.2.2)
  if (l4?.kind === 'icmp' && (l4.type === 'dest-unreach' || l4.type === 'time-exceeded'))
    return undefined;
  const ns = net.namespace(at);
  if (!ns) return undefined;
  const src = errorSource(ns, orig);
  if (!src) return undefined;
  const quoted = Math.min(orig.length, 576 - IPV4_HEADER - 8);
  const ip: Ipv4Layer = {
    kind: 'ipv4',
    src,
    dst: orig.src,
    ttl: 64,
    proto: 'icmp',
    df: false,
    length: IPV4_HEADER + 8 + quoted,
    id: flowHash(`${at}/icmp/${orig.id}`) & 0xffff,
    tos: 0xc0,
  };
  const layer: IcmpLayer =
    icmp.type === 'time-exceeded'
      ? { kind: 'icmp', type: 'time-exceeded', quoted: quotedPkt }
      : { kind: 'icmp', ...icmp, quoted: quotedPkt };
  return [ip, layer];
}

/**
 * Where an ICMP error is sent from. A packet for one of our own addresses is answered from
 * that address; otherwise icmp_send routes the error before building it (icmp_route_lookup)
 * and speaks from the address that route picks (icmp_errors_use_inbound_ifaddr=0, the
 * default). With no route back to the sender, no error is sent at all.
 */
function errorSource(ns: NonNullable<ReturnType<Network['namespace']>>, orig: Ipv4Layer) {
  if (isLocalAddress(ns, orig.dst)) return orig.dst;
  const back = fibLookup(ns, orig.src);
  return back ? sourceAddress(ns, back.route, orig.src) : undefined;
}

/** Why a namespace that should answer with an ICMP error sends none (undefined: it does send). */
function noErrorSent(net: Network, at: string, dropped: Packet): string | undefined {
  const ns = net.namespace(at);
  const orig = outerIp(stripEth(dropped));
  return ns && !errorSource(ns, orig)
    ? `${at} sends no ICMP error: it has no route back to ${orig.src.text}`
    : undefined;
}

function errorFor(end: Extract<WalkEnd, { kind: 'dropped' }>): IcmpErrorSpec | undefined {
  if (end.drop.kind !== 'icmp') return undefined;
  switch (end.drop.icmp) {
    case 'net':
      return { type: 'dest-unreach', code: 0 };
    case 'host':
      return { type: 'dest-unreach', code: 1 };
    case 'fragNeeded':
      return { type: 'dest-unreach', code: 4, ...(end.drop.mtu ? { mtu: end.drop.mtu } : {}) };
    case 'port':
      return { type: 'dest-unreach', code: 3 };
    case 'timeExceeded':
      return { type: 'time-exceeded' };
  }
}

/**
 * Sends a probe and follows whatever comes back: the echo reply, the SYN-ACK
 * or RST, an ICMP port unreachable, or the ICMP error a hop sends about a drop
 * (itself walked, so an error with no way back is lost).
 */
export function trace(net: Network, probe: Probe): Result<Trace, ProbeError> {
  const from = net.namespace(probe.from);
  if (!from)
    return err({
      kind: 'noNamespace',
      text: `Cannot open network namespace "${probe.from}": No such file or directory`,
    });
  const dst = parseIp(probe.dst);
  if (!dst.ok)
    return err({
      kind: 'badAddress',
      text: `${probe.protocol === 'icmp' ? 'ping' : 'nc'}: ${probe.dst}: Name or service not known`,
    });
  if (
    probe.dport !== undefined &&
    (!Number.isInteger(probe.dport) || probe.dport < 1 || probe.dport > 65535)
  ) {
    return err({ kind: 'badPort', text: `nc: port number invalid: ${probe.dport}` });
  }
  // out-of-range values never reach the wire: the tool (or setsockopt) refuses them first
  const badArgs = checkProbeArgs(probe);
  if (badArgs) return err(badArgs);
  const resolved = resolveDestination(from, dst.value, probe);
  if (!resolved.ok) return err(resolved.error);
  const target = resolved.target;
  const env = newNetfilterEnv(probe.endpoint);
  const request = walkPacket(
    net,
    probe.from,
    requestPacket(withPmtuDf(net, probe, target), target),
    'request',
    env,
  );
  const end = request.end;
  let response: WalkResult | undefined;
  let verdict: Verdict;
  if (end.kind === 'delivered') {
    const answer = answerFor(net, probe, end);
    if (!answer) {
      verdict = {
        ok: true,
        text: `delivered to ${end.namespace} (${probe.protocol.toUpperCase()} ${dst.value.text}:${probe.dport ?? ''}); nothing is sent back`,
      };
    } else {
      response = walkPacket(net, end.namespace, answer.packet, answer.leg, env);
      const back = response.end;
      const gotBack = back.kind === 'delivered' && back.namespace === probe.from;
      const stranger = gotBack ? strangerReply(probe, target, back.packet) : undefined;
      verdict = !gotBack
        ? {
            ok: false,
            text: `no answer came back: ${back.kind === 'dropped' ? back.reason : `delivered to ${back.namespace}`} (100% packet loss)`,
          }
        : stranger
          ? { ok: false, text: stranger }
          : answer.verdict(outerIp(back.packet));
    }
  } else {
    const e = errorFor(end);
    const errPkt = e ? icmpError(net, end.namespace, end.packet, e) : undefined;
    if (errPkt) {
      response = walkPacket(net, end.namespace, errPkt, 'error', env);
      const back = response.end;
      if (back.kind === 'delivered' && back.namespace === probe.from) {
        const l = transport(back.packet);
        const from = outerIp(back.packet).src.text;
        verdict = {
          ok: false,
          text:
            l?.kind === 'icmp'
              ? toolError(probe, from, icmpErrorText(l), dst.value.text)
              : end.reason,
        };
      } else {
        verdict = {
          ok: false,
          text: `${end.reason}; the ICMP error was lost: ${back.kind === 'dropped' ? back.reason : `it went to ${back.namespace}, not to ${probe.from}`} (100% packet loss)`,
        };
      }
    } else {
      const silent = e ? noErrorSent(net, end.namespace, end.packet) : undefined;
      verdict = {
        ok: false,
        text: silent ? `${end.reason}; ${silent} (100% packet loss)` : localErrorText(probe, end),
      };
    }
  }
  const hops = [...request.hops, ...(response?.hops ?? [])];
  const t: Trace = {
    probe,
    request,
    ...(response ? { response } : {}),
    hops,
    verdict,
    conntrack: env.conntrack,
    ruleHits: env.hits,
  };
  // conntrack's view of how the exchange ended: a reply seen, a RST or ICMP error, or nothing
  const state =
    outcomeOf(t) === 'ok' ? 'replied' : outcomeOf(t) === 'refused' ? 'refused' : 'unreplied';
  for (const e of env.conntrack) e.state = state;
  return ok(t);
}

function toolError(p: Probe, from: string, text: string, dst: string): string {
  if (p.protocol === 'icmp') return `From ${from} icmp_seq=1 ${text}`;
  const why =
    text === ICMP_TEXT.net
      ? 'Network is unreachable'
      : text === ICMP_TEXT.host
        ? 'No route to host'
        : text === 'Destination Port Unreachable'
          ? 'Connection refused'
          : text;
  return `nc: connect to ${dst} port ${p.dport ?? ''} (${p.protocol}) failed: ${why}`;
}

function localErrorText(p: Probe, end: Extract<WalkEnd, { kind: 'dropped' }>): string {
  const tool = p.protocol === 'icmp' ? 'ping' : 'nc';
  switch (end.drop.kind) {
    case 'localNoRoute':
      return `${tool}: connect: Network is unreachable`;
    case 'localMsgSize':
      return `${tool}: local error: message too long, mtu=${end.drop.mtu}`;
    case 'icmp':
    case 'silent':
      return `${end.reason} (100% packet loss)`;
  }
}

interface Answer {
  readonly packet: Packet;
  readonly leg: 'reply' | 'error';
  readonly verdict: (received: Ipv4Layer) => Verdict;
}

/** What the destination's kernel sends back for a delivered probe. */
function answerFor(
  net: Network,
  p: Probe,
  end: Extract<WalkEnd, { kind: 'delivered' }>,
): Answer | undefined {
  const req = outerIp(end.packet);
  const l4 = transport(end.packet);
  const id = flowHash(`${end.namespace}/reply/${req.id}`) & 0xffff;
  const back = { kind: 'ipv4' as const, src: req.dst, dst: req.src, ttl: 64, id, tos: 0 };
  if (l4?.kind === 'icmp' && l4.type === 'echo-request') {
    // icmp_echo → icmp_reply: same payload, DF not set
    return {
      packet: [
        { ...back, proto: 'icmp', df: false, length: req.length },
        { kind: 'icmp', type: 'echo-reply', id: l4.id, seq: l4.seq },
      ],
      leg: 'reply',
      verdict: (r) => ({
        ok: true,
        text: `${req.length - IPV4_HEADER} bytes from ${r.src.text}: icmp_seq=${l4.seq} ttl=${r.ttl}`,
      }),
    };
  }
  if (l4?.kind === 'tcp') {
    const open = listening(net, p, end.namespace, 'tcp', l4.dport);
    return {
      packet: [
        { ...back, proto: 'tcp', df: true, length: IPV4_HEADER + (open ? 40 : 20) },
        { kind: 'tcp', sport: l4.dport, dport: l4.sport, flags: open ? 'S.' : 'R.' },
      ],
      leg: 'reply',
      verdict: () =>
        open
          ? {
              ok: true,
              text: `Connection to ${p.dst} ${p.dport ?? l4.dport} port [tcp/*] succeeded!`,
            }
          : {
              ok: false,
              text: `nc: connect to ${p.dst} port ${p.dport ?? l4.dport} (tcp) failed: Connection refused`,
            },
    };
  }
  if (l4?.kind === 'udp') {
    // no port unreachable about a datagram sent to a broadcast address (__icmp_send)
    if (end.broadcast || listening(net, p, end.namespace, 'udp', l4.dport)) return undefined;
    const e = icmpError(net, end.namespace, end.packet, { type: 'dest-unreach', code: 3 });
    if (!e) return undefined;
    return {
      packet: e,
      leg: 'error',
      verdict: () => ({
        ok: false,
        text: `nc: connect to ${p.dst} port ${p.dport ?? l4.dport} (udp) failed: Connection refused`,
      }),
    };
  }
  return undefined;
}

/** How a connection attempt ended, as the client's socket learns it. */
export type Outcome =
  | 'ok'
  | 'refused'
  | 'timeout'
  | 'hostUnreachable'
  | 'netUnreachable'
  | 'msgSize'
  | 'ttlExceeded'
  | 'fragNeeded';

export function outcomeOf(t: Trace): Outcome {
  if (t.verdict.ok) return 'ok';
  const req = t.request.end;
  if (req.kind === 'dropped' && req.drop.kind === 'localNoRoute') return 'netUnreachable';
  if (req.kind === 'dropped' && req.drop.kind === 'localMsgSize') return 'msgSize';
  const back = t.response?.end;
  if (back?.kind !== 'delivered' || back.namespace !== t.probe.from) return 'timeout';
  const l4 = transport(back.packet);
  if (l4?.kind === 'tcp') return l4.flags === 'R.' ? 'refused' : 'ok';
  if (l4?.kind === 'icmp' && l4.type === 'time-exceeded') return 'ttlExceeded';
  if (l4?.kind === 'icmp' && l4.type === 'dest-unreach') {
    return l4.code === 3
      ? 'refused'
      : l4.code === 0
        ? 'netUnreachable'
        : l4.code === 1
          ? 'hostUnreachable'
          : 'fragNeeded';
  }
  return 'timeout';
}

/**
 * A TCP answer from an address or port the client never connected to matches
 * no socket: the client's kernel answers it with a RST and keeps waiting (this
 * is what a Service reply that skipped conntrack's un-DNAT looks like).
 */
function strangerReply(p: Probe, target: IpAddr, reply: Packet): string | undefined {
  const l4 = transport(reply);
  if (l4?.kind !== 'tcp') return undefined;
  const src = outerIp(reply).src.text;
  if (src === target.text && l4.sport === (p.dport ?? defaultDport('tcp'))) return undefined;
  return `the answer came from ${src}:${l4.sport}, not from ${p.dst}:${p.dport ?? defaultDport('tcp')}: no socket matches it, the client's kernel sends a RST and the connection times out`;
}

export { icmpErrorText };
