import { sameIp, type IpAddr } from '../addr/ip';
import type { Namespace } from '../network/types';
import { deviceOf, fibLookup, isLocalAddress, sourceAddress } from '../walk/fib';

export interface RouteGetOptions {
  /** `from ADDR` */
  readonly from?: IpAddr;
  /** `iif DEV`: ask for the route a packet arriving on DEV would take (a forwarded packet) */
  readonly iif?: string;
}

/** What `ip route get` prints: the route the kernel answered, or its refusal. */
export interface RouteGetAnswer {
  /** false when the kernel refused the RTM_GETROUTE (`RTNETLINK answers: …`, ip exits 2) */
  readonly ok: boolean;
  readonly text: string;
}

const refused = (text: string): RouteGetAnswer => ({ ok: false, text });
const route = (text: string): RouteGetAnswer => ({ ok: true, text });
const ENETUNREACH = refused('RTNETLINK answers: Network is unreachable');
const EHOSTUNREACH = refused('RTNETLINK answers: No route to host');
const EINVAL = refused('RTNETLINK answers: Invalid argument');

/**
 * The source a local destination is answered from: the address itself, or
 * for the rest of 127.0.0.0/8 lo's own (`local 127.0.0.0/8 dev lo ... src 127.0.0.1`).
 */
function localSource(ns: Namespace, dst: IpAddr): IpAddr {
  for (const d of ns.devices) for (const a of d.addresses) if (sameIp(a.ip, dst)) return a.ip;
  return deviceOf(ns, 'lo')?.addresses[0]?.ip ?? dst;
}

/** A packet arriving on `iif` (ip_route_input_slow), as `inet_rtm_getroute` reports it. */
function inputRoute(
  ns: Namespace,
  dst: IpAddr,
  iif: string,
  from: IpAddr | undefined,
): RouteGetAnswer {
  // iproute2 looks the device up before asking the kernel (nodev(): exit 1)
  if (!deviceOf(ns, iif)) return { ok: false, text: `Cannot find device "${iif}"` };
  // a zero or local source is a martian (fib_validate_source): EINVAL
  if (!from || from.bits === 0n || isLocalAddress(ns, from)) return EINVAL;
  const r = fibLookup(ns, dst);
  // an input route carries no prefsrc and no uid; the cache line names the input device
  if (r?.local)
    return route(
      `local ${dst.text} from ${from.text} dev lo table local \n    cache <local> iif ${iif} `,
    );
  // forwarding off on the input device: EHOSTUNREACH whatever the table says
  if (!ns.ipForward) return EHOSTUNREACH;
  if (!r) return ENETUNREACH;
  const via = r.route.via ? `via ${r.route.via.text} ` : '';
  return route(`${dst.text} from ${from.text} ${via}dev ${r.route.dev} \n    cache iif ${iif} `);
}

/**
 * `ip route get` (iproute2 print_route over the kernel's RTM_F_CLONED answer).
 * The answer is a cloned route: no proto, no scope and no `onlink`; `src`
 * only when it differs from a given `from`; `uid` only for a locally
 * originated lookup; `table local` for a local destination; then the
 * `cache` line with its flags (`<local>`) and the input device.
 */
export const printRouteGet = (ns: Namespace, dst: IpAddr, opts: RouteGetOptions = {}): string =>
  routeGetAnswer(ns, dst, opts).text;

/** `ip route get`'s answer with whether the kernel gave a route (the shell's exit status). */
export function routeGetAnswer(
  ns: Namespace,
  dst: IpAddr,
  opts: RouteGetOptions = {},
): RouteGetAnswer {
  if (opts.iif !== undefined) return inputRoute(ns, dst, opts.iif, opts.from);
  // ip_route_output_key: a source that is not ours is refused
  if (opts.from && !isLocalAddress(ns, opts.from)) return EINVAL;
  const r = fibLookup(ns, dst);
  if (!r) return ENETUNREACH;
  const from = opts.from ? `from ${opts.from.text} ` : '';
  const srcPart = (src: IpAddr | undefined) =>
    src && src.bits !== 0n && !(opts.from && sameIp(opts.from, src)) ? `src ${src.text} ` : '';
  if (r.local) {
    const src = opts.from ?? localSource(ns, dst);
    return route(
      `local ${dst.text} ${from}dev lo table local ${srcPart(src)}uid 0 \n    cache <local> `,
    );
  }
  const src = opts.from ?? sourceAddress(ns, r.route, dst);
  const via = r.route.via ? `via ${r.route.via.text} ` : '';
  return route(`${dst.text} ${from}${via}dev ${r.route.dev} ${srcPart(src)}uid 0 \n    cache `);
}
