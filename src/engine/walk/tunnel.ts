import type { Device, IpipDevice, Namespace, TunnelDevice, VxlanDevice } from '../network/types';
import { deviceOf, fibLookup, sourceAddress, type FibResult } from './fib';
import { fragmentCount } from './fragment';
import type { Hop } from './hop';
import { countHook } from './nat';
import {
  ETH_HEADER,
  flowHash,
  IPV4_HEADER,
  outerIp,
  stripEth,
  transport,
  UDP_HEADER,
  VXLAN_HEADER,
  type Ipv4Layer,
  type Packet,
} from './packet';
import { localLine, routeConsulted, type State, type Transmit, type Walker } from './walker';

/**
 * Tunnel devices, by kind: what `transmit` does with a packet routed out of one, and what
 * `ip_local_deliver` does with a packet for the node that one of them takes in. Nothing
 * here knows which CNI made the device.
 */

/** Out through a tunnel device: the packet gets an outer header of the host's own. */
export function tunnelTransmit(w: Walker, st: Transmit, dev: TunnelDevice): State {
  switch (dev.kind) {
    case 'vxlan':
      return vxlanEncap(w, st, dev);
    case 'ipip':
      return ipipEncap(w, st, dev);
  }
}

/** What `decapsulate` needs from the local delivery it stands in for. */
export interface Arrival {
  readonly inbound: Partial<Hop>;
  /** the device the outer packet came in on */
  readonly devName: string;
  /** what ip_defrag did before the protocol handler saw the packet */
  readonly changes: readonly string[];
  readonly extra: Partial<Hop>;
}

/**
 * A packet for this namespace that one of its tunnel devices takes in (the UDP port of a
 * VXLAN device, IP protocol 4 for an IPIP device): the inner packet arrives on that device.
 * Undefined when no tunnel device claims it (an ordinary local delivery).
 */
export function decapsulate(w: Walker, ns: Namespace, pkt: Packet, a: Arrival): State | undefined {
  const ip = outerIp(pkt);
  if (ip.proto === 'ipip') return ipipDecap(w, ns, pkt, a);
  const l4 = transport(pkt);
  const vxlanDev = ns.devices.find((d): d is VxlanDevice => d.kind === 'vxlan');
  if (l4?.kind === 'udp' && vxlanDev && l4.dport === vxlanDev.vxlan.dstport)
    return vxlanDecap(w, ns, pkt, vxlanDev, a);
  return undefined;
}

function vxlanDecap(
  w: Walker,
  ns: Namespace,
  pkt: Packet,
  dev: VxlanDevice,
  { inbound, devName, changes, extra }: Arrival,
): State {
  const ip = outerIp(pkt);
  const l4 = transport(pkt);
  const vx = pkt.findIndex((l) => l.kind === 'vxlan');
  const vni = pkt[vx];
  if (vx < 0 || vni?.kind !== 'vxlan' || vni.vni !== dev.vxlan.vni) {
    return w.drop(
      ns,
      pkt,
      `vxlan: no device for VNI ${vni?.kind === 'vxlan' ? vni.vni : '?'}`,
      { kind: 'silent' },
      inbound,
    );
  }
  const inner = stripEth(pkt.slice(vx + 1));
  w.push({
    namespace: ns.name,
    action: 'decapsulate',
    title: `${ns.name} decapsulates VXLAN (UDP ${l4?.kind === 'udp' ? l4.dport : '?'}, VNI ${vni.vni}) on ${dev.name}`,
    ...inbound,
    devOut: dev.name,
    consulted: [{ table: 'local', line: localLine(ip.dst.text, devName) }],
    headers: inner,
    changes: [...changes, 'outer IPv4, UDP and VXLAN headers removed'],
    ...extra,
  });
  return { at: 'receive', ns, dev: dev.name, pkt: inner };
}

/**
 * ipip_rcv → ip_tunnel_lookup: a tunnel with no remote and no local (the fallback
 * tunl0) takes protocol 4 from anyone; the inner packet comes in on it with its TTL
 * as it was (ip_tunnel_rcv does not touch the inner header) and is routed from there.
 */
function ipipDecap(
  w: Walker,
  ns: Namespace,
  pkt: Packet,
  { inbound, devName, changes, extra }: Arrival,
): State {
  const ip = outerIp(pkt);
  const dev = ns.devices.find((d): d is IpipDevice => d.kind === 'ipip' && d.state !== 'DOWN');
  const at = pkt.findIndex((l) => l.kind === 'ipv4');
  const inner = pkt.slice(at + 1);
  if (!dev || inner[0]?.kind !== 'ipv4')
    // no tunnel takes it: tunnel4_rcv finds no handler (or the ipip module is not loaded)
    return w.drop(
      ns,
      pkt,
      `${ns.name} has no IPIP tunnel device to take IP protocol 4 from ${ip.src.text}`,
      { kind: 'silent' },
      inbound,
    );
  w.push({
    namespace: ns.name,
    action: 'decapsulate',
    title: `${ns.name} decapsulates IPIP (IP protocol 4 from ${ip.src.text}) on ${dev.name}`,
    ...inbound,
    devOut: dev.name,
    consulted: [{ table: 'local', line: localLine(ip.dst.text, devName) }],
    headers: inner,
    changes: [
      ...changes,
      `outer IPv4 ${ip.src.text} → ${ip.dst.text} removed; inner packet kept (TTL ${inner[0].ttl})`,
    ],
    ...extra,
  });
  return { at: 'receive', ns, dev: dev.name, pkt: inner };
}

/** flannel.1: neighbour → VTEP MAC, FDB → remote node, then a UDP packet of the host's own. */
function vxlanEncap(w: Walker, st: Transmit, dev: VxlanDevice): State {
  const { ns, nexthop, pkt } = st;
  const push = w.push;
  const drop = w.drop;
  const vx = dev.vxlan;
  const neigh = ns.neighbours.find((n) => n.dev === dev.name && n.ip.bits === nexthop.bits);
  const neighLine = (lladdr: string) =>
    `${nexthop.text} dev ${dev.name} lladdr ${lladdr} PERMANENT `;
  if (!neigh) {
    return drop(
      ns,
      pkt,
      `${dev.name} has no neighbour entry for ${nexthop.text}: the frame has no VTEP to go to (tx_dropped)`,
      { kind: 'silent' },
      { devOut: dev.name },
    );
  }
  const fdb = ns.fdb.find((f) => f.dev === dev.name && f.mac === neigh.lladdr && f.dst);
  if (!fdb?.dst) {
    return drop(
      ns,
      pkt,
      `${dev.name} has no FDB entry for ${neigh.lladdr}: vxlan drops the frame (tx_dropped)`,
      { kind: 'silent' },
      { devOut: dev.name, consulted: [{ table: 'neigh', line: neighLine(neigh.lladdr) }] },
    );
  }
  const inner = outerIp(pkt);
  const sport =
    32768 + (flowHash(`${inner.src.text}>${inner.dst.text}/${inner.proto}`) % (60999 - 32768 + 1));
  const outerLength = inner.length + ETH_HEADER + VXLAN_HEADER + UDP_HEADER + IPV4_HEADER;
  const outer: Ipv4Layer = {
    kind: 'ipv4',
    src: vx.local,
    dst: fdb.dst,
    ttl: 64,
    proto: 'udp',
    df: false,
    length: outerLength,
    id: flowHash(`${inner.id}/vxlan`) & 0xffff,
    tos: 0,
  };
  const encapsulated: Packet = [
    outer,
    { kind: 'udp', sport, dport: vx.dstport },
    { kind: 'vxlan', vni: vx.vni },
    { kind: 'eth', src: dev.mac, dst: neigh.lladdr },
    ...pkt,
  ];
  push({
    namespace: ns.name,
    action: 'encapsulate',
    title: `${ns.name} encapsulates for VTEP ${fdb.dst.text} (VXLAN VNI ${vx.vni})`,
    devIn: dev.name,
    devOut: vx.dev,
    consulted: [
      { table: 'neigh', line: neighLine(neigh.lladdr) },
      { table: 'fdb', line: `${fdb.mac} dev ${dev.name} dst ${fdb.dst.text} self permanent` },
    ],
    headers: encapsulated,
    changes: [
      `outer IPv4 ${vx.local.text} → ${fdb.dst.text} (TTL 64), UDP dport ${vx.dstport}, VXLAN VNI ${vx.vni} added; inner packet unchanged (TTL ${inner.ttl})`,
      ...fragmentsChange(pkt, 'a VXLAN packet'),
    ],
  });
  const r = fibLookup(ns, fdb.dst);
  if (!r)
    return drop(ns, encapsulated, `no route to VTEP ${fdb.dst.text}: Network is unreachable`, {
      kind: 'silent',
    });
  // drivers/net/vxlan: a route to the remote VTEP through the vxlan device itself is refused
  if (r.route.dev === dev.name)
    return drop(ns, encapsulated, `vxlan: circular route to ${fdb.dst.text}`, { kind: 'silent' });
  const out = deviceOf(ns, r.route.dev);
  if (!out)
    return drop(ns, encapsulated, `Cannot find device "${r.route.dev}"`, { kind: 'silent' });
  return sendOuter(w, ns, encapsulated, r, out, `the VXLAN packet to ${fdb.dst.text}`);
}

/**
 * tunl0 (net/ipv4/ipip.c ipip_tunnel_xmit → ip_tunnel_xmit): a tunnel with no remote of its
 * own sends to the route's gateway (`rt_nexthop`: the peer node of `via … dev tunl0 onlink`),
 * from the address the route to it prefers; the outer TTL is the inner's (`ttl inherit`), DF
 * is copied from the inner header, tos is the tunnel's (0). No Ethernet header inside.
 */
function ipipEncap(w: Walker, st: Transmit, dev: IpipDevice): State {
  const { ns, nexthop, pkt } = st;
  const inner = outerIp(pkt);
  const r = fibLookup(ns, nexthop);
  const out = r && !r.local && r.route.dev !== dev.name ? deviceOf(ns, r.route.dev) : undefined;
  const src = r ? sourceAddress(ns, r.route, nexthop) : undefined;
  const outer: Ipv4Layer = {
    kind: 'ipv4',
    src: src ?? { family: 4, bits: 0n, text: '0.0.0.0' },
    dst: nexthop,
    // ttl inherit (tnl_params ttl 0): the inner header's, already decremented by the forward
    ttl: inner.ttl,
    proto: 'ipip',
    df: inner.df,
    length: inner.length + IPV4_HEADER,
    id: flowHash(`${inner.id}/ipip`) & 0xffff,
    tos: dev.ipip.tos,
  };
  const encapsulated: Packet = [outer, ...pkt];
  w.push({
    namespace: ns.name,
    action: 'encapsulate',
    title: `${ns.name} encapsulates in IPIP for ${nexthop.text} (IP protocol 4) on ${dev.name}`,
    devIn: dev.name,
    ...(out ? { devOut: out.name } : {}),
    consulted: [],
    headers: encapsulated,
    changes: [
      `outer IPv4 ${outer.src.text} → ${nexthop.text} added (protocol 4, TTL ${outer.ttl} inherited from the inner packet, DF ${inner.df ? 'copied' : 'not set: the inner has none'}); inner packet unchanged (TTL ${inner.ttl})`,
      ...fragmentsChange(pkt, 'an IPIP packet'),
    ],
  });
  // ip_tunnel_xmit: no route to the remote, or one back into the tunnel itself, is tx_error
  if (!r || r.local || !src)
    return w.drop(
      ns,
      encapsulated,
      `no route to the tunnel's remote ${nexthop.text}: ${dev.name} drops the packet (tx_carrier_errors)`,
      { kind: 'silent' },
    );
  if (r.route.dev === dev.name)
    return w.drop(
      ns,
      encapsulated,
      `${dev.name}: the route to the remote ${nexthop.text} leads back into the tunnel (collisions)`,
      { kind: 'silent' },
      { consulted: [routeConsulted(r)] },
    );
  if (!out)
    return w.drop(ns, encapsulated, `Cannot find device "${r.route.dev}"`, { kind: 'silent' });
  return sendOuter(w, ns, encapsulated, r, out, `the IPIP packet to ${nexthop.text}`);
}

const fragmentsChange = (pkt: Packet, each: string): string[] =>
  fragmentCount(pkt) > 1
    ? [`each of the ${fragmentCount(pkt)} fragments travels in ${each} of its own`]
    : [];

/** The tunnel's packet is the host's own (iptunnel_xmit → ip_local_out): OUTPUT, then POSTROUTING. */
function sendOuter(
  w: Walker,
  ns: Namespace,
  encapsulated: Packet,
  r: FibResult,
  out: Device,
  what: string,
): State {
  countHook(w, ns, 'nat', 'OUTPUT', encapsulated, true);
  countHook(w, ns, 'filter', 'OUTPUT', encapsulated, true);
  countHook(w, ns, 'nat', 'POSTROUTING', encapsulated, true);
  const hop = w.push({
    namespace: ns.name,
    action: 'send',
    title: `${ns.name} sends ${what} via ${out.name}`,
    devOut: out.name,
    consulted: [routeConsulted(r)],
    headers: encapsulated,
    changes: [],
  });
  return { at: 'transmit', ns, dev: out, nexthop: r.nexthop, pkt: encapsulated, hop };
}
