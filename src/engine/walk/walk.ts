import type { IpAddr } from '../addr/ip';
import { routeLine } from '../network/routeLine';
import type { Device, Namespace, Network, Segment, SegmentPort } from '../network/types';
import { deviceOf, fibLookup, isLocalAddress, sourceAddress, type FibResult } from './fib';
import type { Consulted, Hop, HopAction, Leg } from './hop';
import {
  ETH_HEADER,
  flowHash,
  IPV4_HEADER,
  outerIp,
  replaceOuterIp,
  stripEth,
  transport,
  UDP_HEADER,
  VXLAN_HEADER,
  type Ipv4Layer,
  type Packet,
} from './packet';

/** Why a walk stopped short, and what the kernel sends back about it. */
export type DropKind =
  /** ENETUNREACH at the sender: `connect: Network is unreachable` */
  | { readonly kind: 'localNoRoute' }
  /** EMSGSIZE at the sender: `local error: message too long, mtu=1450` */
  | { readonly kind: 'localMsgSize'; readonly mtu: number }
  /** an ICMP error goes back to the source: net (0) / host (1) unreachable, frag needed (4), time exceeded */
  | {
      readonly kind: 'icmp';
      readonly icmp: 'net' | 'host' | 'fragNeeded' | 'timeExceeded';
      readonly mtu?: number;
    }
  /** dropped with no word to anyone (cloud fabric, vxlan without FDB, a routing loop) */
  | { readonly kind: 'silent' };

export type WalkEnd =
  | {
      readonly kind: 'delivered';
      readonly namespace: string;
      readonly device: string;
      readonly packet: Packet;
    }
  | {
      readonly kind: 'dropped';
      readonly namespace: string;
      readonly reason: string;
      readonly drop: DropKind;
      readonly packet: Packet;
    };

export interface WalkResult {
  readonly hops: readonly Hop[];
  readonly end: WalkEnd;
}

/** A walk can never run forever: past this many hops it is a loop the TTL did not catch. */
const MAX_STEPS = 512;

type State =
  | { readonly at: 'output'; readonly ns: Namespace; readonly pkt: Packet }
  | {
      readonly at: 'receive';
      readonly ns: Namespace;
      readonly dev: string;
      readonly port?: string;
      readonly pkt: Packet;
    }
  | {
      readonly at: 'transmit';
      readonly ns: Namespace;
      readonly dev: Device;
      readonly nexthop: IpAddr;
      readonly pkt: Packet;
      readonly hop: number;
    }
  | { readonly at: 'end'; readonly end: WalkEnd };

const routeConsulted = (r: FibResult): Consulted =>
  r.local
    ? {
        table: 'local',
        line: `local ${r.nexthop.text} dev ${r.route.dev} table local proto kernel scope host src ${r.nexthop.text} `,
      }
    : { table: 'route', line: routeLine(r.route) };

/**
 * Walks one packet from the namespace that sends it until it is delivered or
 * dropped, consulting only the tables in front of it, in the kernel's order
 * (SPEC §6). The walk never asks which datapath is on.
 */
export function walkPacket(net: Network, from: string, packet: Packet, leg: Leg): WalkResult {
  const hops: Hop[] = [];
  const push = (h: Omit<Hop, 'leg'>): number => hops.push({ ...h, leg }) - 1;
  const setWire = (i: number, segment: string, frame: Packet) => {
    const h = hops[i];
    if (h) hops[i] = { ...h, wire: { segment, frame } };
  };
  const drop = (
    ns: Namespace,
    pkt: Packet,
    reason: string,
    kind: DropKind,
    extra: Partial<Hop> = {},
  ): State => {
    push({
      namespace: ns.name,
      action: 'drop',
      title: `${ns.name} drops the packet`,
      consulted: [],
      headers: pkt,
      changes: [],
      reason,
      ...extra,
    });
    return {
      at: 'end',
      end: { kind: 'dropped', namespace: ns.name, reason, drop: kind, packet: pkt },
    };
  };

  const start = net.namespace(from);
  if (!start) throw new Error(`no namespace ${from}`);
  let state: State = { at: 'output', ns: start, pkt: packet };
  for (let step = 0; ; step++) {
    if (state.at === 'end') return { hops, end: state.end };
    if (step > MAX_STEPS) {
      const ns = state.ns;
      state = drop(ns, state.pkt, `the walk stopped after ${MAX_STEPS} hops: a forwarding loop`, {
        kind: 'silent',
      });
      continue;
    }
    switch (state.at) {
      case 'output':
        state = output(state.ns, state.pkt, leg, push, drop);
        break;
      case 'receive':
        state = receive(state.ns, state.dev, state.port, state.pkt, push, drop);
        break;
      case 'transmit':
        state = transmit(net, state, push, drop, setWire);
        break;
    }
  }
}

type Push = (h: Omit<Hop, 'leg'>) => number;
type Drop = (
  ns: Namespace,
  pkt: Packet,
  reason: string,
  kind: DropKind,
  extra?: Partial<Hop>,
) => State;
type SetWire = (i: number, segment: string, frame: Packet) => void;

function output(ns: Namespace, pkt: Packet, leg: Leg, push: Push, drop: Drop): State {
  const ip = outerIp(pkt);
  const r = fibLookup(ns, ip.dst);
  if (!r) {
    // the sending socket gets ENETUNREACH; a kernel-made answer (reply, ICMP error) just goes nowhere
    const reason =
      leg === 'request'
        ? 'connect: Network is unreachable'
        : `${ns.name} has no route back to ${ip.dst.text}: Network is unreachable`;
    return drop(
      ns,
      pkt,
      reason,
      { kind: 'localNoRoute' },
      { title: `${ns.name} has no route to ${ip.dst.text}` },
    );
  }
  // an unbound socket speaks from the address the route prefers (fib_result_prefsrc / inet_select_addr)
  const src = ip.src.bits === 0n ? sourceAddress(ns, r.route, ip.dst) : undefined;
  const sent = src ? replaceOuterIp(pkt, { ...ip, src }) : pkt;
  const changes = src ? [`source address ${src.text} chosen by the route`] : [];
  if (r.local) {
    push({
      namespace: ns.name,
      action: 'deliver',
      title: `${ns.name} owns ${ip.dst.text}: delivered over lo`,
      devOut: 'lo',
      devIn: 'lo',
      consulted: [routeConsulted(r)],
      headers: sent,
      changes,
    });
    return {
      at: 'end',
      end: { kind: 'delivered', namespace: ns.name, device: 'lo', packet: sent },
    };
  }
  const dev = deviceOf(ns, r.route.dev);
  if (!dev) return drop(ns, sent, `Cannot find device "${r.route.dev}"`, { kind: 'silent' });
  if (ip.df && ip.length > dev.mtu) {
    return drop(
      ns,
      sent,
      `local error: message too long, mtu=${dev.mtu}`,
      { kind: 'localMsgSize', mtu: dev.mtu },
      { devOut: dev.name, consulted: [routeConsulted(r)] },
    );
  }
  const hop = push({
    namespace: ns.name,
    action: 'send',
    title: `${ns.name} sends to ${ip.dst.text} via ${dev.name}`,
    devOut: dev.name,
    consulted: [routeConsulted(r)],
    headers: sent,
    changes,
  });
  return { at: 'transmit', ns, dev, nexthop: r.nexthop, pkt: sent, hop };
}

function receive(
  ns: Namespace,
  devName: string,
  port: string | undefined,
  pkt: Packet,
  push: Push,
  drop: Drop,
): State {
  const ip = outerIp(pkt);
  const inbound = { devIn: devName, ...(port ? { portIn: port } : {}) };
  if (isLocalAddress(ns, ip.dst)) {
    const l4 = transport(pkt);
    const vxlanDev = ns.devices.find((d) => d.kind === 'vxlan' && d.vxlan);
    if (l4?.kind === 'udp' && vxlanDev?.vxlan && l4.dport === vxlanDev.vxlan.dstport) {
      const vx = pkt.findIndex((l) => l.kind === 'vxlan');
      const vni = pkt[vx];
      if (vx < 0 || vni?.kind !== 'vxlan' || vni.vni !== vxlanDev.vxlan.vni) {
        return drop(
          ns,
          pkt,
          `vxlan: no device for VNI ${vni?.kind === 'vxlan' ? vni.vni : '?'}`,
          { kind: 'silent' },
          inbound,
        );
      }
      const inner = stripEth(pkt.slice(vx + 1));
      push({
        namespace: ns.name,
        action: 'decapsulate',
        title: `${ns.name} decapsulates VXLAN (UDP ${l4.dport}, VNI ${vni.vni}) on ${vxlanDev.name}`,
        ...inbound,
        devOut: vxlanDev.name,
        consulted: [
          {
            table: 'local',
            line: `local ${ip.dst.text} dev ${devName} table local proto kernel scope host src ${ip.dst.text} `,
          },
        ],
        headers: inner,
        changes: ['outer IPv4, UDP and VXLAN headers removed'],
      });
      return { at: 'receive', ns, dev: vxlanDev.name, pkt: inner };
    }
    push({
      namespace: ns.name,
      action: 'deliver',
      title: `${ns.name} owns ${ip.dst.text}: delivered`,
      ...inbound,
      consulted: [
        {
          table: 'local',
          line: `local ${ip.dst.text} dev ${deviceHolding(ns, ip.dst) ?? devName} table local proto kernel scope host src ${ip.dst.text} `,
        },
      ],
      headers: pkt,
      changes: [],
    });
    return {
      at: 'end',
      end: { kind: 'delivered', namespace: ns.name, device: devName, packet: pkt },
    };
  }
  if (!ns.ipForward) {
    // ip_route_input_slow: forwarding off on the input device → EHOSTUNREACH → ip_error
    return drop(
      ns,
      pkt,
      `net.ipv4.ip_forward = 0: ${ns.name} does not forward packets for ${ip.dst.text}`,
      { kind: 'icmp', icmp: 'host' },
      { ...inbound, consulted: [{ table: 'sysctl', line: 'net.ipv4.ip_forward = 0' }] },
    );
  }
  const r = fibLookup(ns, ip.dst);
  if (!r)
    return drop(
      ns,
      pkt,
      `no route to ${ip.dst.text}: Network is unreachable`,
      { kind: 'icmp', icmp: 'net' },
      inbound,
    );
  if (ip.ttl <= 1) {
    return drop(
      ns,
      pkt,
      'Time to live exceeded',
      { kind: 'icmp', icmp: 'timeExceeded' },
      { ...inbound, consulted: [routeConsulted(r)] },
    );
  }
  const dev = deviceOf(ns, r.route.dev);
  if (!dev) return drop(ns, pkt, `Cannot find device "${r.route.dev}"`, { kind: 'silent' });
  if (ip.df && ip.length > dev.mtu) {
    return drop(
      ns,
      pkt,
      `Frag needed and DF set (mtu = ${dev.mtu})`,
      { kind: 'icmp', icmp: 'fragNeeded', mtu: dev.mtu },
      { ...inbound, devOut: dev.name, consulted: [routeConsulted(r)] },
    );
  }
  const fwd = replaceOuterIp(pkt, { ...ip, ttl: ip.ttl - 1 });
  const hop = push({
    namespace: ns.name,
    action: 'forward',
    title: `${ns.name} routes ${ip.dst.text} via ${r.route.dev}`,
    ...inbound,
    devOut: dev.name,
    consulted: [routeConsulted(r)],
    headers: fwd,
    changes: [`TTL ${ip.ttl} → ${ip.ttl - 1}`],
  });
  return { at: 'transmit', ns, dev, nexthop: r.nexthop, pkt: fwd, hop };
}

function deviceHolding(ns: Namespace, a: IpAddr): string | undefined {
  return ns.devices.find((d) => d.addresses.some((x) => x.ip.bits === a.bits))?.name;
}

function transmit(
  net: Network,
  st: Extract<State, { at: 'transmit' }>,
  push: Push,
  drop: Drop,
  setWire: SetWire,
): State {
  const { ns, dev, nexthop, pkt } = st;
  if (dev.kind === 'vxlan') return vxlanEncap(st, push, drop);
  if (!dev.segment) return drop(ns, pkt, `${dev.name} leads nowhere`, { kind: 'silent' });
  const seg = net.segment(dev.segment);
  const sender = seg ? portOf(seg, ns.name, dev.name) : undefined;
  const target = seg ? arpTarget(seg, nexthop, sender) : undefined;

  if (!seg || !sender || !target) {
    // neigh_invalidate → arp_error_report → ICMP host unreachable (net/ipv4/arp.c)
    return drop(
      ns,
      pkt,
      `no ARP reply for ${nexthop.text} on ${dev.name}: Destination Host Unreachable`,
      { kind: 'icmp', icmp: 'host' },
      {
        devOut: dev.name,
        consulted: [{ table: 'neigh', line: `${nexthop.text} dev ${dev.name} FAILED ` }],
      },
    );
  }
  const frame: Packet = [{ kind: 'eth', src: dev.mac, dst: target.mac }, ...pkt];
  setWire(st.hop, seg.id, frame);
  if (seg.kind === 'underlay' && seg.srcDstCheck) {
    const blocked = cloudCheck(net, seg, sender, target, outerIp(pkt));
    if (blocked)
      return drop(
        ns,
        pkt,
        blocked.reason,
        { kind: 'silent' },
        {
          segment: seg.id,
          devOut: dev.name,
          title: `the ${seg.owner} fabric drops the packet`,
          consulted: [{ table: 'cloud', line: blocked.rule }],
        },
      );
  }
  if (seg.kind === 'bridge') return bridgeForward(seg, sender, target, pkt, push);
  const targetNs = net.namespace(target.namespace);
  if (!targetNs) return drop(ns, pkt, `${target.namespace} is gone`, { kind: 'silent' });
  return { at: 'receive', ns: targetNs, dev: target.device, pkt };

  function bridgeForward(
    bridge: Segment,
    from: SegmentPort,
    to: SegmentPort,
    p: Packet,
    pushHop: Push,
  ): State {
    const node = net.namespace(bridge.owner);
    const toNs = net.namespace(to.namespace);
    if (!node || !toNs) return drop(ns, p, `${to.namespace} is gone`, { kind: 'silent' });
    // a frame for the bridge's own MAC goes up to the node's IP layer (br_handle_frame_finish → local)
    if (to.namespace === bridge.owner)
      return {
        at: 'receive',
        ns: node,
        dev: to.device,
        ...(from.bridgePort ? { port: from.bridgePort } : {}),
        pkt: p,
      };
    pushHop({
      namespace: bridge.owner,
      action: 'bridge',
      title: `${bridge.owner}'s cni0 bridges the frame to ${to.bridgePort ?? to.device} (no routing, TTL unchanged)`,
      devIn: from.bridgePort ?? from.device,
      ...(from.bridgePort ? { portIn: from.bridgePort } : {}),
      devOut: to.bridgePort ?? to.device,
      ...(to.bridgePort ? { portOut: to.bridgePort } : {}),
      consulted: [
        { table: 'fdb', line: `${to.mac} dev ${to.bridgePort ?? to.device} master cni0 ` },
      ],
      headers: [{ kind: 'eth', src: from.mac, dst: to.mac }, ...p],
      changes: [],
    });
    return { at: 'receive', ns: toNs, dev: to.device, pkt: p };
  }
}

interface SegmentIndex {
  readonly byAddress: ReadonlyMap<bigint, readonly SegmentPort[]>;
  readonly byDevice: ReadonlyMap<string, SegmentPort>;
}
const segmentIndexes = new WeakMap<Segment, SegmentIndex>();

/** An underlay subnet can hold thousands of nodes: ARP and port lookups go through an index. */
function segmentIndex(seg: Segment): SegmentIndex {
  let idx = segmentIndexes.get(seg);
  if (idx) return idx;
  const byAddress = new Map<bigint, SegmentPort[]>();
  const byDevice = new Map<string, SegmentPort>();
  for (const p of seg.ports) {
    byDevice.set(`${p.namespace}/${p.device}`, p);
    for (const a of p.addresses) {
      const list = byAddress.get(a.bits);
      if (list) list.push(p);
      else byAddress.set(a.bits, [p]);
    }
  }
  idx = { byAddress, byDevice };
  segmentIndexes.set(seg, idx);
  return idx;
}

const portOf = (seg: Segment, ns: string, dev: string) =>
  segmentIndex(seg).byDevice.get(`${ns}/${dev}`);

/** Who answers ARP for an address on this segment (never the asker itself). */
const arpTarget = (seg: Segment, a: IpAddr, asker: SegmentPort | undefined) =>
  segmentIndex(seg)
    .byAddress.get(a.bits)
    ?.find((p) => p !== asker);

/**
 * The cloud fabric's source/destination check (AWS SourceDestCheck, GCP
 * without canIpForward): a node may send only from its own address and
 * receive only for its own address. Routers are the fabric itself.
 */
function cloudCheck(
  net: Network,
  seg: Segment,
  sender: SegmentPort,
  target: SegmentPort,
  ip: Ipv4Layer,
): { reason: string; rule: string } | undefined {
  const isNode = (p: SegmentPort) => net.namespace(p.namespace)?.kind === 'node';
  if (isNode(sender) && !sender.addresses.some((a) => a.bits === ip.src.bits)) {
    return {
      reason: `dropped by the cloud source/destination check on ${seg.owner}: ${sender.namespace} sent a packet from ${ip.src.text}, which is not its address ${sender.addresses.map((a) => a.text).join(', ')}`,
      rule: `source/destination check: ${sender.namespace} (${sender.addresses.map((a) => a.text).join(', ')}) may send only from its own address`,
    };
  }
  if (isNode(target) && !target.addresses.some((a) => a.bits === ip.dst.bits)) {
    return {
      reason: `dropped by the cloud source/destination check on ${seg.owner}: ${target.namespace} may receive only for its address ${target.addresses.map((a) => a.text).join(', ')}, not ${ip.dst.text}`,
      rule: `source/destination check: ${target.namespace} (${target.addresses.map((a) => a.text).join(', ')}) may receive only for its own address`,
    };
  }
  return undefined;
}

/** flannel.1: neighbour → VTEP MAC, FDB → remote node, then a UDP packet of the host's own. */
function vxlanEncap(st: Extract<State, { at: 'transmit' }>, push: Push, drop: Drop): State {
  const { ns, dev, nexthop, pkt } = st;
  const vx = dev.vxlan!;
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
  const hop = push({
    namespace: ns.name,
    action: 'send',
    title: `${ns.name} sends the VXLAN packet to ${fdb.dst.text} via ${out.name}`,
    devOut: out.name,
    consulted: [routeConsulted(r)],
    headers: encapsulated,
    changes: [],
  });
  return { at: 'transmit', ns, dev: out, nexthop: r.nexthop, pkt: encapsulated, hop };
}

export type { HopAction };
