/**
 * Frames as tcpdump prints them (print-ether.c, print-ip.c, print-udp.c,
 * print-tcp.c, print-icmp.c, print-otv.c, print-vxlan.c), with `-n`.
 * `tcpdumpVerbose` is `tcpdump -e -vv -n`, the look of reference/ (the UDP
 * checksum note appears only from -vv on for IPv4); `tcpdumpBrief` is plain
 * `tcpdump -n`.
 */
import type { Network } from '../network/types';
import type { Trace } from '../walk/probe';
import {
  ETH_HEADER,
  IPV4_HEADER,
  UDP_HEADER,
  type IcmpLayer,
  type Ipv4Layer,
  type Packet,
  type TcpLayer,
  type UdpLayer,
} from '../walk/packet';
import { fragmentsOf } from '../walk/fragment';
import { encodePacket, l4Checksum, tcpFields, type TcpOption } from './wire';

interface Mode {
  /** -vv: the IP header in parentheses, checksums, quoted packets of ICMP errors */
  readonly verbose: boolean;
  /** -e: the Ethernet header (and no `IP ` before the IP part) */
  readonly link: boolean;
}

const OTV_PORT = 8472;
const VXLAN_PORT = 4789;
const PROTO = { icmp: 'ICMP (1)', udp: 'UDP (17)', tcp: 'TCP (6)', ipip: 'IPIP (4)' } as const;
const PROTO_NUMBER = { icmp: 1, udp: 17, tcp: 6, ipip: 4 } as const;

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** ether_print: `src > dst, ethertype IPv4 (0x0800), length N: ` under -e. */
function frameText(p: Packet, i: number, m: Mode): string {
  const l = p[i];
  if (l?.kind !== 'eth') return ipText(p, i, m, true);
  const next = p[i + 1];
  const body = ipText(p, i + 1, m, true);
  if (!m.link) return body;
  const length = ETH_HEADER + (next?.kind === 'ipv4' ? next.length : 0);
  return `${l.src} > ${l.dst}, ethertype IPv4 (0x0800), length ${length}: ${body}`;
}

/**
 * ip_print. `complete`: every byte of the datagram is in hand, so checksums
 * can be verified (not so for the cut quote inside an ICMP error).
 */
function ipText(p: Packet, i: number, m: Mode, complete: boolean): string {
  const ip = p[i];
  if (ip?.kind !== 'ipv4') return '[|ip]';
  let s = m.link ? '' : 'IP ';
  if (m.verbose) {
    const ttl = ip.ttl >= 1 ? `, ttl ${ip.ttl}` : '';
    // bittok2str(ip_frag_values, "none", …): MF as `+`, then DF, comma-separated
    const flags = [...(ip.frag?.more ? ['+'] : []), ...(ip.df ? ['DF'] : [])].join(', ') || 'none';
    s += `(tos 0x${ip.tos.toString(16)}${ttl}, id ${ip.id}, offset ${ip.frag?.offset ?? 0}, flags [${flags}], proto ${PROTO[ip.proto]}, length ${ip.length})\n    `;
  }
  // not the first fragment: no transport header, only the addresses and the protocol (-n)
  if (ip.frag && ip.frag.offset > 0)
    return `${s}${ip.src.text} > ${ip.dst.text}: ip-proto-${PROTO_NUMBER[ip.proto]}`;
  const l4 = p[i + 1];
  switch (l4?.kind) {
    case 'ipv4':
      // IPIP (print-ip.c: IPPROTO_IPV4 → ip_print): the inner datagram follows the outer addresses
      return `${s}${ip.src.text} > ${ip.dst.text}: ${ipText(p, i + 1, m, complete)}`;
    case 'icmp':
      return `${s}${ip.src.text} > ${ip.dst.text}: ${icmpText(ip, l4, m, complete)}`;
    case 'udp':
      return `${s}${ip.src.text}.${l4.sport} > ${ip.dst.text}.${l4.dport}: ${udpText(p, i, l4, m, complete)}`;
    case 'tcp':
      return `${s}${ip.src.text}.${l4.sport} > ${ip.dst.text}.${l4.dport}: ${tcpText(p, i, l4, m, complete)}`;
    default:
      return `${s}${ip.src.text} > ${ip.dst.text}: ip-proto-${PROTO_NUMBER[ip.proto]} ${ip.length - IPV4_HEADER}`;
  }
}

function udpText(p: Packet, ipAt: number, udp: UdpLayer, m: Mode, complete: boolean): string {
  const ip = p[ipAt] as Ipv4Layer;
  let s = '';
  // no checksum is verified on a fragment (udp_print: `!fragmented`)
  if (m.verbose && complete && !ip.frag) {
    const c = l4Checksum(p, ipAt);
    if (c)
      s +=
        c.field === 0
          ? '[no cksum] '
          : c.field === c.correct
            ? '[udp sum ok] '
            : `[bad udp cksum 0x${hex4(c.field)} -> 0x${hex4(c.correct)}!] `;
  }
  const vx = p[ipAt + 2];
  const isPort = (port: number) => udp.sport === port || udp.dport === port;
  if (vx?.kind === 'vxlan' && (isPort(OTV_PORT) || isPort(VXLAN_PORT))) {
    // flannel's port 8472 is OTV's to tcpdump; both print the inner frame on a line of its own
    const head = isPort(VXLAN_PORT)
      ? `VXLAN, flags [I] (0x08), vni ${vx.vni}`
      : `OTV, flags [I] (0x08), overlay 0, instance ${vx.vni}`;
    return `${s}${head}\n${frameText(p, ipAt + 3, m)}`;
  }
  // the length the UDP header holds: the whole datagram's, even in its first fragment
  return `${s}UDP, length ${(ip.frag?.whole ?? ip.length) - IPV4_HEADER - UDP_HEADER}`;
}

function optionText(o: TcpOption): string {
  switch (o.kind) {
    case 'mss':
      return `mss ${o.value}`;
    case 'sackOK':
      return 'sackOK';
    case 'ts':
      return `TS val ${o.val} ecr ${o.ecr}`;
    case 'nop':
      return 'nop';
    case 'wscale':
      return `wscale ${o.value}`;
  }
}

function tcpText(p: Packet, ipAt: number, tcp: TcpLayer, m: Mode, complete: boolean): string {
  const ip = p[ipAt] as Ipv4Layer;
  const f = tcpFields(ip, tcp);
  const data = Math.max(0, ip.length - IPV4_HEADER - f.headerLength);
  let s = `Flags [${tcp.flags}]`;
  if (m.verbose && complete && !ip.frag) {
    const c = l4Checksum(p, ipAt);
    if (c)
      s += `, cksum 0x${hex4(c.field)}${c.field === c.correct ? ' (correct)' : ` (incorrect -> 0x${hex4(c.correct)})`}`;
  }
  // the sequence number shows under -vv, with data, or on SYN/FIN/RST
  if (m.verbose || data > 0 || tcp.flags !== '.')
    s += `, seq ${f.seq}${data > 0 ? `:${(f.seq + data) >>> 0}` : ''}`;
  if (f.ack !== undefined) s += `, ack ${f.ack}`;
  s += `, win ${f.win}`;
  if (f.options.length > 0) s += `, options [${f.options.map(optionText).join(',')}]`;
  return `${s}, length ${data}`;
}

/** The text after `ICMP ` for an error, naming the quoted packet's destination. */
function unreachText(l: Extract<IcmpLayer, { type: 'dest-unreach' }>): string {
  const q = l.quoted.find((x): x is Ipv4Layer => x.kind === 'ipv4');
  const dst = q?.dst.text ?? '0.0.0.0';
  switch (l.code) {
    case 0:
      return `net ${dst} unreachable`;
    case 1:
      return `host ${dst} unreachable`;
    case 3: {
      const at = l.quoted.findIndex((x) => x.kind === 'ipv4');
      const l4 = l.quoted[at + 1];
      if (l4?.kind === 'tcp') return `${dst} tcp port ${l4.dport} unreachable`;
      if (l4?.kind === 'udp') return `${dst} udp port ${l4.dport} unreachable`;
      // any other protocol: the two bytes where a port would be (print-icmp.c reads uh_dport)
      const b = encodePacket(l.quoted.slice(at));
      return `${dst} protocol ${q ? PROTO_NUMBER[q.proto] : 0} port ${((b[22] ?? 0) << 8) | (b[23] ?? 0)} unreachable`;
    }
    case 4:
      return l.mtu
        ? `${dst} unreachable - need to frag (mtu ${l.mtu})`
        : `${dst} unreachable - need to frag`;
  }
}

function icmpText(ip: Ipv4Layer, l: IcmpLayer, m: Mode, complete: boolean): string {
  const length = ip.length - IPV4_HEADER;
  let str: string;
  switch (l.type) {
    case 'echo-request':
    case 'echo-reply':
      str = `echo ${l.type === 'echo-request' ? 'request' : 'reply'}, id ${l.id}, seq ${l.seq}`;
      break;
    case 'dest-unreach':
      str = unreachText(l);
      break;
    case 'time-exceeded':
      str = 'time exceeded in-transit';
      break;
  }
  let s = `ICMP ${str}, length ${length}`;
  if (m.verbose && (l.type === 'dest-unreach' || l.type === 'time-exceeded')) {
    // -v prints the quoted datagram on a tab-indented line of its own (icmp_print → ip_print)
    const at = l.quoted.findIndex((x) => x.kind === 'ipv4');
    const q = l.quoted[at];
    const whole = complete && q?.kind === 'ipv4' && q.length <= length - 8;
    s += `\n\t${ipText(l.quoted, at, m, whole)}`;
  }
  return s;
}

/** A frame as `tcpdump -e -vv -n` prints it (two lines a header stack; VXLAN adds the inner frame's two). */
export function tcpdumpVerbose(frame: Packet): string {
  return frameText(frame, 0, { verbose: true, link: true });
}

/** A frame as plain `tcpdump -n` prints it: `IP 172.17.1.2 > 172.17.2.2: ICMP echo request, id 1, seq 1, length 64`. */
export function tcpdumpBrief(frame: Packet): string {
  return frameText(frame, 0, { verbose: false, link: false });
}

/**
 * What `tcpdump -e -vv -n` on the underlay shows for a trace: every frame a hop
 * (request, then response) put on an underlay segment, in order; a fragmented
 * datagram puts one frame a fragment (in overlay, one VXLAN packet a fragment).
 */
export function underlayCapture(trace: Trace, net: Network, verbose = true): string[] {
  return trace.hops.flatMap((h) =>
    h.wire && net.segment(h.wire.segment)?.kind === 'underlay'
      ? fragmentsOf(h.wire.frame).map((f) => (verbose ? tcpdumpVerbose(f) : tcpdumpBrief(f)))
      : [],
  );
}

/** A packet as `tcpdump -v -n` prints it on an interface without -e: `IP (tos …)` then the addresses. */
export function tcpdumpIpVerbose(packet: Packet): string {
  return frameText(packet, 0, { verbose: true, link: false });
}

/**
 * What tcpdump on a pod's eth0 sees for a trace: what the pod sent and what
 * was delivered to it, as the pod saw them (after any un-NAT on the way back).
 */
export function interfaceCapture(trace: Trace, namespace: string, verbose = false): string[] {
  return trace.hops.flatMap((h) => {
    if (h.namespace !== namespace || (h.action !== 'send' && h.action !== 'deliver')) return [];
    // a datagram that arrived in fragments crossed eth0 as those fragments, before ip_defrag
    const seen = h.reassembledFrom ?? h.headers;
    const pkt = seen[0]?.kind === 'eth' ? seen.slice(1) : seen;
    return fragmentsOf(pkt).map((f) => (verbose ? tcpdumpIpVerbose(f) : tcpdumpBrief(f)));
  });
}
