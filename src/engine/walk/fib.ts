import { broadcastAddress, maskBits, prefixFromBits, type IpAddr } from '../addr/ip';
import type { Device, InterfaceAddress, Namespace, RouteEntry } from '../network/types';

/** A route lookup's answer: the route and where the frame goes next. */
export interface FibResult {
  readonly route: RouteEntry;
  /** the gateway, or the destination itself for an on-link route */
  readonly nexthop: IpAddr;
  /** `local`: the destination is an address of this namespace (table local) */
  readonly local: boolean;
}

interface FibIndex {
  /** prefix lengths present, longest first */
  readonly lens: readonly number[];
  readonly byLen: ReadonlyMap<number, ReadonlyMap<bigint, readonly RouteEntry[]>>;
  readonly local: ReadonlyMap<bigint, { readonly device: Device }>;
  readonly broadcast: ReadonlyMap<bigint, LocalBroadcast>;
}

/** A `broadcast <addr>` entry of table local: the subnet broadcast of one of the namespace's addresses. */
export interface LocalBroadcast {
  readonly address: IpAddr;
  readonly device: Device;
  /** the address whose subnet it is the broadcast of (the entry's `src`) */
  readonly of: InterfaceAddress;
}

const indexes = new WeakMap<Namespace, FibIndex>();

function indexOf(ns: Namespace): FibIndex {
  let idx = indexes.get(ns);
  if (idx) return idx;
  const byLen = new Map<number, Map<bigint, RouteEntry[]>>();
  for (const r of ns.routes) {
    let m = byLen.get(r.dst.len);
    if (!m) byLen.set(r.dst.len, (m = new Map()));
    const list = m.get(r.dst.bits);
    if (list) list.push(r);
    else m.set(r.dst.bits, [r]);
  }
  for (const m of byLen.values())
    for (const list of m.values()) list.sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0));
  const local = new Map<bigint, { device: Device }>();
  const broadcast = new Map<bigint, LocalBroadcast>();
  for (const d of ns.devices)
    for (const a of d.addresses) {
      local.set(a.ip.bits, { device: d });
      // fib_add_ifaddr: "Add the network broadcast address, when it makes sense" (prefixlen < 31);
      // since Linux 5.14 the network address itself is unicast (no `broadcast <prefix>` entry)
      if (a.ip.family === 4 && a.len < 31) {
        const address = broadcastAddress(prefixFromBits(4, a.ip.bits, a.len));
        if (!broadcast.has(address.bits))
          broadcast.set(address.bits, { address, device: d, of: a });
      }
    }
  idx = { lens: [...byLen.keys()].sort((a, b) => b - a), byLen, local, broadcast };
  indexes.set(ns, idx);
  return idx;
}

const LOOPBACK_NET = prefixFromBits(4, 0x7f000000n, 8);

/** The device holding a local address (table local), if any. */
export function localDevice(ns: Namespace, dst: IpAddr): Device | undefined {
  const idx = indexOf(ns);
  const hit = idx.local.get(dst.bits);
  if (hit) return hit.device;
  // 127.0.0.0/8 is local in its entirety (`local 127.0.0.0/8 dev lo`)
  if ((dst.bits & maskBits(4, 8)) === LOOPBACK_NET.bits)
    return ns.devices.find((d) => d.kind === 'loopback');
  return undefined;
}

/** The `broadcast` entry of table local a destination hits, if any (RTN_BROADCAST). */
export function localBroadcast(ns: Namespace, dst: IpAddr): LocalBroadcast | undefined {
  return indexOf(ns).broadcast.get(dst.bits);
}

/** `255.255.255.255`, the limited broadcast: RTN_BROADCAST on output whatever the tables say. */
export const LIMITED_BROADCAST = 0xffffffffn;

/**
 * fib_lookup: table local first, then main by longest prefix, then lowest
 * metric. Undefined when nothing matches (ENETUNREACH).
 */
export function fibLookup(ns: Namespace, dst: IpAddr): FibResult | undefined {
  const dev = localDevice(ns, dst);
  if (dev) {
    // table local holds `local <addr> dev <its device>`, and one /8 for all of 127/8 on lo
    const own = dev.addresses.some((x) => x.ip.bits === dst.bits);
    const route: RouteEntry = own
      ? {
          dst: prefixFromBits(4, dst.bits, 32),
          isDefault: false,
          dev: dev.name,
          proto: 'kernel',
          scope: 'host',
          src: dst,
        }
      : {
          dst: LOOPBACK_NET,
          isDefault: false,
          dev: 'lo',
          proto: 'kernel',
          scope: 'host',
          src: { family: 4, bits: 0x7f000001n, text: '127.0.0.1' },
        };
    return { route, nexthop: dst, local: true };
  }
  const idx = indexOf(ns);
  for (const len of idx.lens) {
    const hit = idx.byLen.get(len)?.get(dst.bits & maskBits(dst.family, len));
    const route = hit?.[0];
    if (route) return { route, nexthop: route.via ?? dst, local: false };
  }
  return undefined;
}

/** The address a namespace speaks from on a device (inet_select_addr). */
export function sourceAddress(
  ns: Namespace,
  route: RouteEntry,
  towards: IpAddr,
): IpAddr | undefined {
  if (route.src) return route.src;
  const dev = ns.devices.find((d) => d.name === route.dev);
  const own = dev?.addresses.filter((a) => a.scope === 'global') ?? [];
  const onLink = own.find(
    (a) => (a.ip.bits & maskBits(4, a.len)) === (towards.bits & maskBits(4, a.len)),
  );
  const pick = onLink ?? own[0];
  if (pick) return pick.ip;
  // a device without an address borrows one from another device of the namespace
  for (const d of ns.devices) for (const a of d.addresses) if (a.scope === 'global') return a.ip;
  return undefined;
}

export const isLocalAddress = (ns: Namespace, a: IpAddr): boolean =>
  localDevice(ns, a) !== undefined;

export function deviceOf(ns: Namespace, name: string): Device | undefined {
  return ns.devices.find((d) => d.name === name);
}
