/**
 * ipBlock CIDRs as kube-apiserver reads them. IPv4 is parsed here, digit by
 * digit, because the API server's two parsers differ exactly where the messages
 * do: k8s.io/utils/net ParseCIDRSloppy (Go 1.16's net.ParseCIDR: leading zeros
 * allowed) decides "valid CIDR" at all, and netip.ParsePrefix decides the strict
 * checks of KEP-4858 (StrictIPCIDRValidation, beta and on by default since
 * Kubernetes 1.36): pkg/apis/core/validation ips.go parseCIDR. IPv6 goes through
 * ip-num, as src/engine/addr/ip.ts does for the rest of the engine; podhop's
 * pods are IPv4, so an IPv6 block validates and never matches.
 */
import { IPv6CidrRange, Validator } from 'ip-num';
import { goString, invalid, type FieldError } from './fieldError';
import type { PolicyCidr } from './types';

const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** Go's dtoi: decimal digits, leading zeros allowed, as the sloppy parser reads octets */
function dtoi(s: string): number | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s.length > 8 ? s.slice(0, 8) : s);
  return n >= 0xffffff ? undefined : n;
}

type Parsed = {
  readonly cidr: PolicyCidr;
  readonly leadingZeros: boolean;
  readonly hostBits: boolean;
};

function parseV4(text: string): Parsed | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const octets = text.slice(0, slash).split('.');
  const lenText = text.slice(slash + 1);
  if (octets.length !== 4) return undefined;
  let bits = 0n;
  let leadingZeros = false;
  for (const o of octets) {
    const n = dtoi(o);
    if (n === undefined || n > 255) return undefined;
    if (o.length > 1 && o.startsWith('0')) leadingZeros = true;
    bits = (bits << 8n) | BigInt(n);
  }
  const len = dtoi(lenText);
  if (len === undefined || len > 32) return undefined;
  if (lenText.length > 1 && lenText.startsWith('0')) leadingZeros = true;
  const mask = len === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - len)) - 1n);
  return {
    cidr: { text, family: 4, bits: bits & mask, len },
    leadingZeros,
    hostBits: (bits & mask) !== bits,
  };
}

function parseV6(text: string): Parsed | undefined {
  if (!text.includes(':') || !Validator.isValidIPv6CidrNotation(text)[0]) return undefined;
  const range = IPv6CidrRange.fromCidr(text);
  const len = Number(range.cidrPrefix.getValue());
  const network = range.getFirst().getValue();
  const lenText = text.slice(text.indexOf('/') + 1);
  const given = BigInt(`0x${v6Hex(text.slice(0, text.indexOf('/')))}`);
  return {
    cidr: { text, family: 6, bits: network, len },
    leadingZeros: lenText.length > 1 && lenText.startsWith('0'),
    hostBits: given !== network,
  };
}

/** the 32 hex digits of an IPv6 address ip-num has already validated */
function v6Hex(addr: string): string {
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0')).join('');
}

/** A CIDR field of an ipBlock: the parsed block, or the API server's errors for it. */
export function parsePolicyCidr(
  path: string,
  text: string,
): { cidr?: PolicyCidr; errors: FieldError[] } {
  const p = parseV4(text) ?? parseV6(text);
  if (!p) return { errors: [invalid(path, goString(text), INVALID_CIDR)] };
  // the strict checks are one else-if chain: at most one of them is reported
  const strict = p.leadingZeros
    ? 'must not have leading 0s in IP or prefix length'
    : p.hostBits
      ? 'must not have bits set beyond the prefix length'
      : undefined;
  return { cidr: p.cidr, errors: strict ? [invalid(path, goString(text), strict)] : [] };
}

const width = (c: PolicyCidr) => (c.family === 4 ? 32 : 128);

export function cidrContainsBits(c: PolicyCidr, family: 4 | 6, bits: bigint): boolean {
  if (c.family !== family) return false;
  const shift = BigInt(width(c) - c.len);
  return bits >> shift === c.bits >> shift;
}

/** ValidateIPBlock's test: the except's network inside cidr, and a longer prefix */
export const strictSubset = (outer: PolicyCidr, inner: PolicyCidr): boolean =>
  cidrContainsBits(outer, inner.family, inner.bits) && outer.len < inner.len;
