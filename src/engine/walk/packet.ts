import type { IpAddr } from '../addr/ip';

/** One header of a packet; a packet is its header stack, outer first. */
export type Layer = EthLayer | Ipv4Layer | UdpLayer | TcpLayer | IcmpLayer | VxlanLayer;

export interface EthLayer {
  readonly kind: 'eth';
  readonly src: string;
  readonly dst: string;
}

export interface Ipv4Layer {
  readonly kind: 'ipv4';
  readonly src: IpAddr;
  readonly dst: IpAddr;
  readonly ttl: number;
  /** ipip: IP protocol 4, the payload is another IPv4 packet (RFC 2003) */
  readonly proto: 'icmp' | 'udp' | 'tcp' | 'ipip';
  /** Don't Fragment */
  readonly df: boolean;
  /** total length in bytes (header + payload) */
  readonly length: number;
  readonly id: number;
  /** 0xc0 for ICMP errors the kernel sends (net.ipv4.icmp: IPTOS_PREC_INTERNETCONTROL) */
  readonly tos: number;
  /** set on a fragment of a bigger datagram (ip_fragment); `length` is then this fragment's */
  readonly frag?: FragmentInfo;
}

/** One fragment's place in its datagram. */
export interface Piece {
  /** where its payload starts in the datagram's payload, in bytes (a multiple of 8) */
  readonly offset: number;
  /** its total length (header + payload) */
  readonly length: number;
  /** MF: more fragments follow */
  readonly more: boolean;
}

/**
 * A fragment, and the whole train it belongs to: every fragment of one
 * datagram (same id) takes the same path, so a walk carries the first one
 * and the train's geometry, and a capture prints every fragment.
 */
export interface FragmentInfo {
  readonly offset: number;
  readonly more: boolean;
  /** the datagram's total length once ip_defrag has put it back together */
  readonly whole: number;
  /** every fragment, in the order they are sent (this one among them) */
  readonly train: readonly Piece[];
}

export interface UdpLayer {
  readonly kind: 'udp';
  readonly sport: number;
  readonly dport: number;
}

export type TcpFlags = 'S' | 'S.' | 'R.' | '.';

export interface TcpLayer {
  readonly kind: 'tcp';
  readonly sport: number;
  readonly dport: number;
  readonly flags: TcpFlags;
}

export type IcmpKind =
  | { readonly type: 'echo-request' | 'echo-reply'; readonly id: number; readonly seq: number }
  /** type 3: code 0 net, 1 host, 3 port, 4 frag needed */
  | {
      readonly type: 'dest-unreach';
      readonly code: 0 | 1 | 3 | 4;
      readonly mtu?: number;
      readonly quoted: Packet;
    }
  /** type 11 code 0 */
  | { readonly type: 'time-exceeded'; readonly quoted: Packet };

export type IcmpLayer = { readonly kind: 'icmp' } & IcmpKind;

export interface VxlanLayer {
  readonly kind: 'vxlan';
  readonly vni: number;
}

export type Packet = readonly Layer[];

export const IPV4_HEADER = 20;
export const UDP_HEADER = 8;
export const VXLAN_HEADER = 8;
export const ETH_HEADER = 14;

/** The outermost IPv4 header (the one routing acts on). */
export function outerIp(p: Packet): Ipv4Layer {
  const l = p.find((x): x is Ipv4Layer => x.kind === 'ipv4');
  if (!l) throw new Error('packet without an IPv4 header');
  return l;
}

/** The layer right after the outermost IPv4 header. */
export function transport(p: Packet): UdpLayer | TcpLayer | IcmpLayer | undefined {
  const i = p.findIndex((x) => x.kind === 'ipv4');
  const l = p[i + 1];
  return l && (l.kind === 'udp' || l.kind === 'tcp' || l.kind === 'icmp') ? l : undefined;
}

export function replaceOuterIp(p: Packet, ip: Ipv4Layer): Packet {
  const i = p.findIndex((x) => x.kind === 'ipv4');
  return [...p.slice(0, i), ip, ...p.slice(i + 1)];
}

/** Without any Ethernet header in front (what the IP layer of a namespace holds). */
/**
 * Where a tunnel's inner packet starts in a header stack, and which tunnel carries it:
 * after a VXLAN header (an Ethernet frame inside), or after an outer IPv4 header of
 * protocol 4 (IPIP: the inner IPv4 datagram itself). Undefined for a packet in no tunnel.
 */
export function tunnelOf(p: Packet): { kind: 'VXLAN' | 'IPIP'; inner: number } | undefined {
  const vx = p.findIndex((l) => l.kind === 'vxlan');
  if (vx >= 0) return { kind: 'VXLAN', inner: vx + 1 };
  const ipip = p.findIndex((l) => l.kind === 'ipv4' && l.proto === 'ipip');
  return ipip >= 0 ? { kind: 'IPIP', inner: ipip + 1 } : undefined;
}

export const stripEth = (p: Packet): Packet => (p[0]?.kind === 'eth' ? p.slice(1) : p);

/** A small deterministic hash, for the values a kernel draws at random (IP ids, UDP source ports). */
export function flowHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** An ICMP error (destination unreachable, time exceeded): conntrack files it as RELATED, never as a flow. */
export function isIcmpError(p: Packet): boolean {
  const l4 = transport(p);
  return l4?.kind === 'icmp' && (l4.type === 'dest-unreach' || l4.type === 'time-exceeded');
}
