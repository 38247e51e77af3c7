import { parseIp, type IpAddr } from '../addr/ip';
import type { Network } from '../network/types';
import { err, ok, type Result } from '../result';
import { outerIp, transport } from './packet';
import { trace, type ProbeError, type Trace } from './probe';

/** traceroute's defaults: 30 hops, UDP to 33434 + probe number, 60-byte packets, `-q 1`. */
export const TRACEROUTE_MAX_HOPS = 30;
export const TRACEROUTE_BASE_PORT = 33434;
export const TRACEROUTE_PACKET_BYTES = 60;

export interface TracerouteHop {
  readonly ttl: number;
  /** who answered; undefined prints `*` */
  readonly from?: IpAddr;
  /** traceroute's mark for an unreachable answer: `!H`, `!N`, `!F-1450` */
  readonly mark?: string;
  /** the probe of this TTL, with its answer, for the hop list */
  readonly trace: Trace;
}

export interface TracerouteResult {
  readonly dst: IpAddr;
  readonly maxHops: number;
  /** the whole probe as the header counts it (IP and UDP headers included) */
  readonly packetBytes: number;
  readonly hops: readonly TracerouteHop[];
  /** the destination answered (ICMP port unreachable from the target itself) */
  readonly reached: boolean;
}

/** `-m max_ttl`, `-f first_ttl` and the `packetlen` argument of traceroute 2.1. */
export interface TracerouteOptions {
  readonly maxHops?: number;
  readonly firstHop?: number;
  readonly packetBytes?: number;
}

/**
 * One UDP probe per TTL. Each hop answers from the address of the interface it
 * uses to reach the sender (routing picks the ICMP error's source), the target
 * with its own address; a probe whose answer is lost prints `*`.
 */
export function traceroute(
  net: Network,
  from: string,
  dst: string,
  options: number | TracerouteOptions = TRACEROUTE_MAX_HOPS,
): Result<TracerouteResult, ProbeError> {
  const opts = typeof options === 'number' ? { maxHops: options } : options;
  const maxHops = opts.maxHops ?? TRACEROUTE_MAX_HOPS;
  const packetBytes = opts.packetBytes ?? TRACEROUTE_PACKET_BYTES;
  const target = parseIp(dst);
  if (!target.ok)
    return err({
      kind: 'badAddress',
      text: `${dst}: Name or service not known\nCannot handle "host" cmdline arg \`${dst}' on position 1 (argc 1)`,
    });
  const hops: TracerouteHop[] = [];
  let reached = false;
  for (let ttl = opts.firstHop ?? 1; ttl <= maxHops && !reached; ttl++) {
    const t = trace(net, {
      from,
      dst,
      protocol: 'udp',
      dport: TRACEROUTE_BASE_PORT + ttl - 1,
      ttl,
      size: packetBytes - 28,
      df: false,
    });
    if (!t.ok) {
      // traceroute's UDP module connect()s each probe socket and has no SO_BROADCAST:
      // EACCES ends it through error("connect") (mod-udp.c udp_send_probe)
      if (t.error.kind === 'broadcast')
        return err({ kind: 'broadcast', text: 'connect: Permission denied' });
      return t;
    }
    const back = t.value.response?.end;
    const answered = back?.kind === 'delivered' && back.namespace === from;
    if (answered) {
      const l4 = transport(back.packet);
      const answerFrom = outerIp(back.packet).src;
      if (l4?.kind === 'icmp' && l4.type === 'dest-unreach' && l4.code !== 3) {
        // any other unreachable ends the run with its mark (traceroute.c: "!H", "!N", "!F-<mtu>")
        const mark = l4.code === 0 ? '!N' : l4.code === 1 ? '!H' : `!F-${l4.mtu ?? 0}`;
        hops.push({ ttl, from: answerFrom, mark, trace: t.value });
        break;
      }
      hops.push({ ttl, from: answerFrom, trace: t.value });
      // port unreachable from the target: it was reached
      if (l4?.kind === 'icmp' && l4.type === 'dest-unreach') reached = true;
    } else {
      // a local error (no route, EMSGSIZE) ends traceroute at once, as it does for the real tool
      const end = t.value.request.end;
      hops.push({ ttl, trace: t.value });
      if (
        end.kind === 'dropped' &&
        (end.drop.kind === 'localNoRoute' || end.drop.kind === 'localMsgSize')
      )
        break;
    }
  }
  return ok({ dst: target.value, maxHops, packetBytes, hops, reached });
}
