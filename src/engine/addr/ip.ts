/**
 * The one wrapper over ip-num. Parsing, validation and text go through ip-num;
 * hot-path arithmetic (masks, longest-prefix match, allocation cursors) works on
 * the bigint value ip-num itself exposes, so IPv6 stays possible.
 */
import { IPv4, IPv4CidrRange, Validator } from 'ip-num';
import { err, ok, type Result } from '../result';
import { visible } from '../quote';

export type Family = 4 | 6;

export interface IpAddr {
  readonly family: Family;
  readonly bits: bigint;
  readonly text: string;
}

export interface Prefix {
  readonly family: Family;
  /** network address bits (host bits zero) */
  readonly bits: bigint;
  readonly len: number;
  /** `a.b.c.d/len` */
  readonly text: string;
}

export const familyWidth = (family: Family): number => (family === 4 ? 32 : 128);

const textCache = new Map<bigint, string>();

function v4Text(bits: bigint): string {
  let text = textCache.get(bits);
  if (text === undefined) {
    text = IPv4.fromNumber(bits).toString();
    if (textCache.size > 500_000) textCache.clear();
    textCache.set(bits, text);
  }
  return text;
}

export function ipFromBits(family: Family, bits: bigint): IpAddr {
  if (family !== 4) throw new Error('IPv6 is not modelled yet');
  return { family, bits, text: v4Text(bits) };
}

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function parseIp(text: string): Result<IpAddr, string> {
  const trimmed = text.trim();
  // the common case, canonical dotted quad, without ip-num's object churn (150k pods per build)
  const m = DOTTED_QUAD.exec(trimmed);
  if (m) {
    const bits = BigInt(
      ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]),
    );
    return ok({ family: 4, bits, text: trimmed });
  }
  const [valid] = Validator.isValidIPv4String(trimmed);
  if (!valid) return err(`Error: inet address is expected rather than "${visible(text)}".`);
  const ip = IPv4.fromDecimalDottedString(trimmed);
  return ok({ family: 4, bits: ip.getValue(), text: ip.toString() });
}

/** For addresses the engine itself wrote (already validated). */
export function ip(text: string): IpAddr {
  const r = parseIp(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

export function maskBits(family: Family, len: number): bigint {
  const width = BigInt(familyWidth(family));
  const all = (1n << width) - 1n;
  return all ^ ((1n << (width - BigInt(len))) - 1n);
}

export function prefixFromBits(family: Family, bits: bigint, len: number): Prefix {
  const network = bits & maskBits(family, len);
  return { family, bits: network, len, text: `${ipFromBits(family, network).text}/${len}` };
}

export type CidrError =
  | { readonly kind: 'invalidCidr'; readonly text: string }
  | { readonly kind: 'hostBitsSet'; readonly text: string };

/**
 * `strict`: host bits must be zero (what kube-controller-manager's
 * net.ParseCIDR-based checks and `ip route add` expect of a network).
 */
export function parsePrefix(text: string, strict = true): Result<Prefix, CidrError> {
  const trimmed = text.trim();
  const [valid] = Validator.isValidIPv4CidrNotation(trimmed);
  if (!valid) return err({ kind: 'invalidCidr', text: `invalid CIDR address: ${visible(text)}` });
  const range = IPv4CidrRange.fromCidr(trimmed);
  const len = Number(range.cidrPrefix.getValue());
  const given = IPv4.fromDecimalDottedString(trimmed.split('/')[0] ?? '').getValue();
  const p = prefixFromBits(4, given, len);
  if (strict && p.bits !== given) {
    return err({
      kind: 'hostBitsSet',
      text: `invalid CIDR address: ${visible(text)} (host bits set; did you mean ${p.text}?)`,
    });
  }
  return ok(p);
}

export function prefix(text: string): Prefix {
  const r = parsePrefix(text);
  if (!r.ok) throw new Error(r.error.text);
  return r.value;
}

export function prefixContains(p: Prefix, a: IpAddr): boolean {
  return p.family === a.family && (a.bits & maskBits(p.family, p.len)) === p.bits;
}

export function prefixCovers(outer: Prefix, inner: Prefix): boolean {
  return (
    outer.family === inner.family &&
    outer.len <= inner.len &&
    (inner.bits & maskBits(outer.family, outer.len)) === outer.bits
  );
}

export function prefixesOverlap(a: Prefix, b: Prefix): boolean {
  return prefixCovers(a, b) || prefixCovers(b, a);
}

/**
 * The n-th address of a prefix (0 = network address), clamped into the prefix:
 * never throws, whatever the prefix. Where an index past the end is an error
 * the user should see, ask indexedAddress instead.
 */
export function nthAddress(p: Prefix, n: bigint): IpAddr {
  const last = prefixSize(p) - 1n;
  return ipFromBits(p.family, p.bits + (n < 0n ? 0n : n > last ? last : n));
}

/**
 * The n-th address of a prefix, or k8s.io/utils/net GetIndexedIP's error when
 * the prefix is too small to hold it (what the apiserver says picking the
 * `kubernetes` Service's address, index 1, from `--service-cluster-ip-range`).
 */
export function indexedAddress(p: Prefix, n: bigint): Result<IpAddr, string> {
  if (n < 0n || n >= prefixSize(p))
    return err(
      `can't generate IP with index ${n} from subnet. subnet too small. subnet: "${p.text}"`,
    );
  return ok(ipFromBits(p.family, p.bits + n));
}

export function prefixSize(p: Prefix): bigint {
  return 1n << BigInt(familyWidth(p.family) - p.len);
}

export function broadcastAddress(p: Prefix): IpAddr {
  return ipFromBits(p.family, p.bits + prefixSize(p) - 1n);
}

export const sameIp = (a: IpAddr, b: IpAddr): boolean => a.family === b.family && a.bits === b.bits;

/** IPv6 link-local from a MAC (modified EUI-64), as the kernel derives it for `addr_gen_mode eui64`. */
export function linkLocalFromMac(mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16));
  const eui = [
    (b[0] ?? 0) ^ 0x02,
    b[1] ?? 0,
    b[2] ?? 0,
    0xff,
    0xfe,
    b[3] ?? 0,
    b[4] ?? 0,
    b[5] ?? 0,
  ];
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2)
    groups.push((((eui[i] ?? 0) << 8) | (eui[i + 1] ?? 0)).toString(16));
  return `fe80::${groups.join(':')}`;
}
