/**
 * The bytes of a packet as they stand on the wire, for the two numbers a
 * capture prints that the header stack does not carry: TCP sequence numbers
 * and options, and checksums. Values the kernel draws at random (ISNs, TCP
 * timestamps) are made up deterministically from the flow, and payloads are
 * the tools' own fill patterns, so the same trace always prints the same.
 */
import {
  flowHash,
  IPV4_HEADER,
  UDP_HEADER,
  type Ipv4Layer,
  type Packet,
  type TcpLayer,
} from '../walk/packet';

export type TcpOption =
  | { readonly kind: 'mss'; readonly value: number }
  | { readonly kind: 'sackOK' }
  | { readonly kind: 'ts'; readonly val: number; readonly ecr: number }
  | { readonly kind: 'nop' }
  | { readonly kind: 'wscale'; readonly value: number };

/** The TCP header fields the engine does not model. */
export interface TcpFields {
  readonly seq: number;
  /** set when the ACK flag is */
  readonly ack?: number;
  readonly win: number;
  readonly options: readonly TcpOption[];
  /** 20 plus the options */
  readonly headerLength: number;
}

/*
 * What Linux puts in a handshake (net/ipv4/tcp_output.c): SYN and SYN-ACK carry
 * mss, sackOK, TS, nop, wscale (20 bytes of options); the SYN's window is
 * 44 × 1460, the SYN-ACK's 45 × 1448; a RST answering a SYN has seq 0, window
 * 0 and acks ISN + 1 (tcp_v4_send_reset). mss and wscale as in reference/.
 */
const MSS = 1460;
const WSCALE = 10;
const SYN_WIN = 64240;
const SYNACK_WIN = 65160;
const ACK_WIN = 63;

const u32 = (n: number): number => n >>> 0;

function handshake(ts: { val: number; ecr: number }): TcpOption[] {
  return [
    { kind: 'mss', value: MSS },
    { kind: 'sackOK' },
    { kind: 'ts', ...ts },
    { kind: 'nop' },
    { kind: 'wscale', value: WSCALE },
  ];
}

const optionBytes = (o: TcpOption): number =>
  o.kind === 'mss' ? 4 : o.kind === 'sackOK' ? 2 : o.kind === 'ts' ? 10 : o.kind === 'nop' ? 1 : 3;

export function tcpFields(ip: Ipv4Layer, tcp: TcpLayer): TcpFields {
  // both ends derive the client's values from the client's address and port, which NAT leaves alone
  const fromClient = tcp.flags === 'S' || tcp.flags === '.';
  const client = fromClient ? `${ip.src.text}:${tcp.sport}` : `${ip.dst.text}:${tcp.dport}`;
  const isnC = flowHash(`isn/client/${client}`);
  const isnS = flowHash(`isn/server/${client}`);
  const tsC = flowHash(`ts/client/${client}`);
  const tsS = flowHash(`ts/server/${client}`);
  const room = ip.length - IPV4_HEADER;
  const withOptions = (opts: TcpOption[]) => {
    const len = 20 + opts.reduce((n, o) => n + optionBytes(o), 0);
    return room >= len ? { options: opts, headerLength: len } : { options: [], headerLength: 20 };
  };
  switch (tcp.flags) {
    case 'S':
      return { seq: isnC, win: SYN_WIN, ...withOptions(handshake({ val: tsC, ecr: 0 })) };
    case 'S.':
      return {
        seq: isnS,
        ack: u32(isnC + 1),
        win: SYNACK_WIN,
        ...withOptions(handshake({ val: tsS, ecr: tsC })),
      };
    case 'R.':
      return { seq: 0, ack: u32(isnC + 1), win: 0, options: [], headerLength: 20 };
    case '.':
      return {
        seq: u32(isnC + 1),
        ack: u32(isnS + 1),
        win: ACK_WIN,
        ...withOptions([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: tsC, ecr: tsS }]),
      };
  }
}

const TCP_FLAG_BITS: Record<TcpLayer['flags'], number> = {
  S: 0x02,
  'S.': 0x12,
  'R.': 0x14,
  '.': 0x10,
};

const u16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
const u32b = (n: number): number[] => [...u16(n >>> 16), ...u16(n)];
const addrBytes = (ip: { readonly bits: bigint }): number[] => u32b(Number(ip.bits));
const macBytes = (mac: string): number[] => mac.split(':').map((h) => parseInt(h, 16) & 0xff);

/** Exactly `n` bytes: cut, or padded with zeros. */
function fit(bytes: number[], n: number): number[] {
  if (bytes.length >= n) return bytes.slice(0, n);
  return bytes.concat(new Array<number>(n - bytes.length).fill(0));
}

/** The 16-bit one's complement sum, folded (RFC 1071). */
export function onesSum(bytes: readonly number[], initial = 0): number {
  let sum = initial;
  for (let k = 0; k < bytes.length; k += 2) sum += ((bytes[k] ?? 0) << 8) | (bytes[k + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

const checksum = (bytes: readonly number[], initial = 0): number =>
  ~onesSum(bytes, initial) & 0xffff;

function pseudoHeader(ip: Ipv4Layer, protocol: number, length: number): number {
  return onesSum([...addrBytes(ip.src), ...addrBytes(ip.dst), 0, protocol, ...u16(length)]);
}

const PROTO_NUMBER = { icmp: 1, tcp: 6, udp: 17, ipip: 4 } as const;

/**
 * What a checksum offloaded to the device holds when a capture sees it:
 * CHECKSUM_PARTIAL leaves the folded pseudo-header sum (udp4_hwcsum,
 * __tcp_v4_send_check), to be finished by the NIC. The kernel's own RSTs and
 * ICMP messages are summed in software and are complete.
 */
function setChecksum(
  seg: number[],
  at: number,
  ip: Ipv4Layer,
  proto: 'udp' | 'tcp',
  full: boolean,
) {
  const pseudo = pseudoHeader(ip, PROTO_NUMBER[proto], seg.length);
  let sum = full ? checksum(seg, pseudo) : pseudo;
  if (full && proto === 'udp' && sum === 0) sum = 0xffff;
  seg.splice(at, 2, ...u16(sum));
}

/** ping's payload: a struct timeval (left zero here), then bytes counting up (iputils fill pattern). */
const pingData = (n: number): number[] =>
  Array.from({ length: n }, (_, k) => (k < 16 ? 0 : k & 0xff));
/** traceroute's UDP payload (traceroute/mod-udp.c: 0x40 + i). */
const udpData = (n: number): number[] => Array.from({ length: n }, (_, k) => 0x40 + (k & 0x3f));

/** Layer `i` of `p` and everything after it, as exactly `room` bytes. */
function encodeAt(p: Packet, i: number, ip: Ipv4Layer | undefined, room: number): number[] {
  const l = p[i];
  if (!l || room <= 0) return fit([], Math.max(room, 0));
  switch (l.kind) {
    case 'eth':
      return fit(
        [
          ...macBytes(l.dst),
          ...macBytes(l.src),
          0x08,
          0x00,
          ...encodeAt(p, i + 1, undefined, room - 14),
        ],
        room,
      );
    case 'ipv4': {
      const header = [
        0x45,
        l.tos & 0xff,
        ...u16(l.length),
        ...u16(l.id),
        ...u16((l.df ? 0x4000 : 0) | (l.frag?.more ? 0x2000 : 0) | ((l.frag?.offset ?? 0) >> 3)),
        l.ttl & 0xff,
        PROTO_NUMBER[l.proto],
        0,
        0,
        ...addrBytes(l.src),
        ...addrBytes(l.dst),
      ];
      header.splice(10, 2, ...u16(checksum(header)));
      if (!l.frag) return fit([...header, ...encodeAt(p, i + 1, l, l.length - IPV4_HEADER)], room);
      // a fragment carries its slice of the whole datagram's payload (ip_do_fragment copies, never rewrites)
      const whole = { ...l, length: l.frag.whole };
      const payload = encodeAt(p, i + 1, whole, l.frag.whole - IPV4_HEADER);
      const slice = payload.slice(l.frag.offset, l.frag.offset + l.length - IPV4_HEADER);
      return fit([...header, ...slice], room);
    }
    case 'udp': {
      const next = p[i + 1];
      const data = next ? encodeAt(p, i + 1, ip, room - UDP_HEADER) : udpData(room - UDP_HEADER);
      const seg = fit([...u16(l.sport), ...u16(l.dport), ...u16(room), 0, 0, ...data], room);
      if (ip) setChecksum(seg, 6, ip, 'udp', false);
      return seg;
    }
    case 'vxlan':
      return fit(
        [0x08, 0, 0, 0, ...u32b(l.vni << 8), ...encodeAt(p, i + 1, undefined, room - 8)],
        room,
      );
    case 'tcp': {
      const f = ip ? tcpFields(ip, l) : { seq: 0, win: 0, options: [], headerLength: 20 };
      const opts = f.options.flatMap((o): number[] => {
        switch (o.kind) {
          case 'mss':
            return [2, 4, ...u16(o.value)];
          case 'sackOK':
            return [4, 2];
          case 'ts':
            return [8, 10, ...u32b(o.val), ...u32b(o.ecr)];
          case 'nop':
            return [1];
          case 'wscale':
            return [3, 3, o.value];
        }
      });
      const seg = fit(
        [
          ...u16(l.sport),
          ...u16(l.dport),
          ...u32b(f.seq),
          ...u32b(f.ack ?? 0),
          (f.headerLength / 4) << 4,
          TCP_FLAG_BITS[l.flags],
          ...u16(f.win),
          0,
          0,
          0,
          0,
          ...opts,
        ],
        room,
      );
      if (ip) setChecksum(seg, 16, ip, 'tcp', l.flags === 'R.');
      return seg;
    }
    case 'icmp': {
      let msg: number[];
      switch (l.type) {
        case 'echo-request':
        case 'echo-reply':
          msg = [
            l.type === 'echo-request' ? 8 : 0,
            0,
            0,
            0,
            ...u16(l.id),
            ...u16(l.seq),
            ...pingData(room - 8),
          ];
          break;
        case 'dest-unreach':
        case 'time-exceeded': {
          const head =
            l.type === 'dest-unreach'
              ? [3, l.code, 0, 0, 0, 0, ...u16(l.code === 4 ? (l.mtu ?? 0) : 0)]
              : [11, 0, 0, 0, 0, 0, 0, 0];
          msg = [...head, ...encodePacket(l.quoted)];
          break;
        }
      }
      const bytes = fit(msg, room);
      bytes.splice(2, 2, ...u16(checksum(bytes)));
      return bytes;
    }
  }
}

/** A whole packet (its first header onwards) as bytes. */
export function encodePacket(p: Packet): number[] {
  const first = p[0];
  const ipAt = p.findIndex((l) => l.kind === 'ipv4');
  const ip = p[ipAt];
  const ipLen = ip?.kind === 'ipv4' ? ip.length : 0;
  return encodeAt(p, 0, undefined, first?.kind === 'eth' ? 14 + ipLen : ipLen);
}

export interface L4Checksum {
  /** what the header holds */
  readonly field: number;
  /** what it should hold */
  readonly correct: number;
}

/** The UDP or TCP checksum of the transport header after the IPv4 header at `ipAt`. */
export function l4Checksum(p: Packet, ipAt: number): L4Checksum | undefined {
  const ip = p[ipAt];
  const l4 = p[ipAt + 1];
  if (ip?.kind !== 'ipv4' || (l4?.kind !== 'udp' && l4?.kind !== 'tcp')) return undefined;
  const seg = encodeAt(p, ipAt + 1, ip, ip.length - IPV4_HEADER);
  const at = l4.kind === 'udp' ? 6 : 16;
  const field = ((seg[at] ?? 0) << 8) | (seg[at + 1] ?? 0);
  seg.splice(at, 2, 0, 0);
  let correct = checksum(seg, pseudoHeader(ip, PROTO_NUMBER[l4.kind], seg.length));
  if (l4.kind === 'udp' && correct === 0) correct = 0xffff;
  return { field, correct };
}
