import { ip, type IpAddr } from '../addr/ip';
import type { Namespace } from '../network/types';
import { fibLookup, LIMITED_BROADCAST, localBroadcast } from './fib';
import type { ProbeProtocol } from './probe';

/**
 * What the tool itself refuses before a packet leaves: its own argument checks
 * and the socket's connect(). Nothing is sent, so there is no trace: the tool
 * prints its error and exits.
 */
export type ProbeError =
  | { readonly kind: 'noNamespace'; readonly text: string }
  | { readonly kind: 'badAddress'; readonly text: string }
  | { readonly kind: 'badPort'; readonly text: string }
  | { readonly kind: 'badTtl'; readonly text: string }
  | { readonly kind: 'badSize'; readonly text: string }
  /** a broadcast destination without SO_BROADCAST */
  | { readonly kind: 'broadcast'; readonly text: string };

/**
 * The port a probe goes to when none is given: TCP to 80 (curl, nc's usual
 * target), UDP to 33434 (traceroute's first probe port).
 */
export const defaultDport = (protocol: 'udp' | 'tcp'): number => (protocol === 'tcp' ? 80 : 33434);

/** IPv4 maximum (65535) less the IP (20) and ICMP or UDP (8) headers: iputils' ICMP_MAX_DATALEN */
export const MAX_PAYLOAD = 65507;
const INT_MAX = 2147483647;

interface ProbeArgs {
  readonly protocol: ProbeProtocol;
  readonly ttl?: number;
  readonly size?: number;
}

/**
 * The TTL and payload size a tool would accept, in its own words.
 * ping (iputils ping/ping.c): `-t` and `-s` go through strtol_or_err with
 * 0..255 and 0..INT_MAX, then `-s` past ICMP_MAX_DATALEN is refused; a TTL of 0
 * passes the parser but setsockopt(IP_TTL) answers EINVAL (ip_sockglue.c wants
 * 1..255). nc (OpenBSD netcat `-M`): strtonum 0..255, then the same setsockopt.
 */
export function checkProbeArgs(p: ProbeArgs): ProbeError | undefined {
  const ping = p.protocol === 'icmp';
  if (p.ttl !== undefined) {
    const t = p.ttl;
    if (!Number.isInteger(t) || t < 0 || t > 255) {
      const text = ping
        ? `ping: invalid argument: '${t}': out of range: 0 <= value <= 255`
        : `nc: ttl is ${!Number.isInteger(t) ? 'invalid' : t < 0 ? 'too small' : 'too large'}`;
      return { kind: 'badTtl', text };
    }
    if (t === 0)
      return {
        kind: 'badTtl',
        text: ping
          ? 'ping: cannot set unicast time-to-live: Invalid argument'
          : 'nc: set IP TTL: Invalid argument',
      };
  }
  if (p.size !== undefined) {
    const s = p.size;
    if (!Number.isInteger(s) || s < 0 || s > INT_MAX)
      return {
        kind: 'badSize',
        // nc has no size option: a datagram of an impossible length is refused by write(2)
        text: ping
          ? `ping: invalid argument: '${s}': out of range: 0 <= value <= ${INT_MAX}`
          : 'nc: write: Invalid argument',
      };
    if (s > MAX_PAYLOAD)
      return {
        kind: 'badSize',
        // udp_sendmsg / ip_append_data: EMSGSIZE past 65535 bytes of IP datagram
        text: ping
          ? `ping: invalid -s value: '${s}': out of range: 0 <= value <= ${MAX_PAYLOAD}`
          : 'nc: write: Message too long',
      };
  }
  return undefined;
}

const LOOPBACK = ip('127.0.0.1');

/**
 * Where a socket's connect() really sends. 0.0.0.0 means "this host": the
 * output route of INADDR_ANY is the loopback, to 127.0.0.1
 * (ip_route_output_key_hash_rcu: `if (!fl4->daddr) ... INADDR_LOOPBACK`), and
 * iputils then pings its own source, so the replies come from 127.0.0.1.
 * A broadcast destination — 255.255.255.255 (if any route covers it) or a
 * `broadcast` entry of the sender's table local — is refused without
 * SO_BROADCAST: ping's probe socket gets EACCES, nc's UDP connect() too
 * (ip4_datagram_connect), and TCP's connect() ENETUNREACH (tcp_v4_connect).
 */
export function resolveDestination(
  ns: Namespace,
  dst: IpAddr,
  p: ProbeArgs & { readonly dst: string; readonly dport?: number },
):
  | { readonly ok: true; readonly target: IpAddr }
  | { readonly ok: false; readonly error: ProbeError } {
  if (dst.family === 4 && dst.bits === 0n) return { ok: true, target: LOOPBACK };
  const broadcast =
    (dst.bits === LIMITED_BROADCAST && fibLookup(ns, dst) !== undefined) ||
    localBroadcast(ns, dst) !== undefined;
  if (!broadcast) return { ok: true, target: dst };
  const port = p.dport ?? defaultDport(p.protocol === 'tcp' ? 'tcp' : 'udp');
  const text =
    p.protocol === 'icmp'
      ? 'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules'
      : `nc: connect to ${p.dst} port ${port} (${p.protocol}) failed: ${p.protocol === 'tcp' ? 'Network is unreachable' : 'Permission denied'}`;
  return { ok: false, error: { kind: 'broadcast', text } };
}
