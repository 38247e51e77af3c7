import type { Namespace, Network } from '../network/types';
import { deviceOf, fibLookup, isLocalAddress, localBroadcast, sourceAddress } from './fib';
import type { Hop, Leg } from './hop';
import {
  conntrackFind,
  newNetfilterEnv,
  trackFlow,
  type ConntrackEntry,
  type NetfilterEnv,
} from './netfilter';
import { isIcmpError, outerIp, replaceOuterIp, transport, type Packet } from './packet';
import { countHook, dropRefused, masquerade, refusedByFilter, serviceDnat, unNat } from './nat';
import { icmpErrorText } from './icmpText';
import { fragment, fragmentCount, fragmentNote, reassemble } from './fragment';
import { transmit } from './transmit';
import { decapsulate } from './tunnel';
import { unenforcedPolicyNotes } from './policyNote';
import {
  broadcastLine,
  localLine,
  routeConsulted,
  type State,
  type WalkResult,
  type Walker,
} from './walker';

export type { DropKind, WalkEnd, WalkResult } from './walker';

/** A walk can never run forever: past this many hops it is a loop the TTL did not catch. */
const MAX_STEPS = 512;

/**
 * Walks one packet from the namespace that sends it until it is delivered or
 * dropped, consulting only the tables in front of it, in the kernel's order
 * (SPEC §6). The walk never asks which datapath is on.
 */
export function walkPacket(
  net: Network,
  from: string,
  packet: Packet,
  leg: Leg,
  env: NetfilterEnv = newNetfilterEnv(),
): WalkResult {
  const hops: Hop[] = [];
  const w: Walker = {
    net,
    env,
    leg,
    push: (h) => {
      const n = fragmentCount(h.headers);
      return hops.push({ ...h, leg, ...(n > 1 ? { fragments: n } : {}) }) - 1;
    },
    lastHop: () => hops.length - 1,
    drop: (ns, pkt, reason, kind, extra = {}) => {
      hops.push({
        namespace: ns.name,
        action: 'drop',
        title: `${ns.name} drops the packet`,
        consulted: [],
        headers: pkt,
        changes: [],
        reason,
        drop: kind,
        ...extra,
        leg,
      });
      return {
        at: 'end',
        end: { kind: 'dropped', namespace: ns.name, reason, drop: kind, packet: pkt },
      };
    },
    setWire: (i, segment, frame) => {
      const h = hops[i];
      if (h) hops[i] = { ...h, wire: { segment, frame } };
    },
  };
  const start = net.namespace(from);
  if (!start) {
    const reason = `Cannot open network namespace "${from}": No such file or directory`;
    return {
      hops,
      end: { kind: 'dropped', namespace: from, reason, drop: { kind: 'silent' }, packet },
    };
  }
  let state: State = { at: 'output', ns: start, pkt: packet };
  for (let step = 0; ; step++) {
    if (state.at === 'end') return { hops, end: state.end };
    if (step > MAX_STEPS) {
      state = w.drop(
        state.ns,
        state.pkt,
        `the walk stopped after ${MAX_STEPS} hops: a forwarding loop`,
        { kind: 'silent' },
      );
      continue;
    }
    switch (state.at) {
      case 'output':
        state = output(w, state.ns, state.pkt);
        break;
      case 'receive':
        state = receive(w, state.ns, state.dev, state.port, state.pkt);
        break;
      case 'transmit':
        state = transmit(w, state);
        break;
    }
  }
}

function output(w: Walker, ns: Namespace, pkt0: Packet): State {
  const ip0 = outerIp(pkt0);
  const r0 = fibLookup(ns, ip0.dst);
  if (!r0) {
    // the sending socket gets ENETUNREACH; a kernel-made answer (reply, ICMP error) just goes nowhere
    const reason =
      w.leg === 'request'
        ? 'connect: Network is unreachable'
        : `${ns.name} has no route back to ${ip0.dst.text}: Network is unreachable`;
    return w.drop(
      ns,
      pkt0,
      reason,
      { kind: 'localNoRoute' },
      { title: `${ns.name} has no route to ${ip0.dst.text}` },
    );
  }
  // an unbound socket speaks from the address the route prefers (fib_result_prefsrc / inet_select_addr)
  const src = ip0.src.bits === 0n ? sourceAddress(ns, r0.route, ip0.dst) : undefined;
  let pkt = src ? replaceOuterIp(pkt0, { ...ip0, src }) : pkt0;
  const changes = src ? [`source address ${src.text} chosen by the route`] : [];
  if (r0.local) {
    w.push({
      namespace: ns.name,
      action: 'deliver',
      title: deliverTitle(w, ns, pkt, ' over lo'),
      devOut: 'lo',
      devIn: 'lo',
      consulted: [routeConsulted(r0)],
      headers: pkt,
      changes,
    });
    return { at: 'end', end: { kind: 'delivered', namespace: ns.name, device: 'lo', packet: pkt } };
  }
  // a reply or an ICMP error belongs to a connection conntrack knows: no nat chain, no NEW
  const fresh = w.leg === 'request' && !isIcmpError(pkt);
  const nat = fresh ? serviceDnat(w, ns, 'OUTPUT', pkt, {}) : { pkt, mark: 0 };
  pkt = nat.pkt;
  const refused = refusedByFilter(ns, 'OUTPUT', pkt, w, fresh, nat.mark);
  if (refused) return dropRefused(w, ns, pkt, refused, {});
  const r = nat.entry ? fibLookup(ns, outerIp(pkt).dst) : r0;
  if (!r) return w.drop(ns, pkt, 'connect: Network is unreachable', { kind: 'localNoRoute' });
  // ip_route_output_key: a blackhole route fails the send with EINVAL (fib_props[RTN_BLACKHOLE])
  if (r.route.type === 'blackhole')
    return w.drop(
      ns,
      pkt,
      'sendmsg: Invalid argument (a blackhole route)',
      { kind: 'silent' },
      { consulted: [routeConsulted(r)] },
    );
  const ip = outerIp(pkt);
  const dev = deviceOf(ns, r.route.dev);
  if (!dev) return w.drop(ns, pkt, `Cannot find device "${r.route.dev}"`, { kind: 'silent' });
  if (ip.df && ip.length > dev.mtu) {
    return w.drop(
      ns,
      pkt,
      `local error: message too long, mtu=${dev.mtu}`,
      { kind: 'localMsgSize', mtu: dev.mtu },
      { devOut: dev.name, consulted: [routeConsulted(r)] },
    );
  }
  // ip_finish_output → ip_fragment: a datagram without DF larger than the device's MTU leaves in pieces
  const split = ip.df ? undefined : fragment(pkt, dev.mtu);
  const note = split ? fragmentNote(pkt, split, dev.mtu, dev.name) : undefined;
  pkt = split ?? pkt;
  let hop = w.push({
    namespace: ns.name,
    action: 'send',
    title: note
      ? `${ns.name} ${note.phrase}`
      : `${ns.name} sends to ${ip.dst.text} via ${dev.name}`,
    devOut: dev.name,
    consulted: [routeConsulted(r)],
    headers: pkt,
    changes: note ? [...changes, note.change] : changes,
  });
  const masq = masquerade(w, ns, r, pkt, nat.mark, nat.entry, dev.name, fresh);
  if (masq !== pkt) hop += 1;
  return { at: 'transmit', ns, dev, nexthop: r.nexthop, pkt: masq, hop };
}

function receive(
  w: Walker,
  ns: Namespace,
  devName: string,
  port: string | undefined,
  pkt0: Packet,
): State {
  const inbound = { devIn: devName, ...(port ? { portIn: port } : {}) };
  let pkt = pkt0;
  let mark = 0;
  let entry: ConntrackEntry | undefined;
  // nat PREROUTING: conntrack first (a reply is un-NATed), then kube-proxy's rules for a new connection
  const known = ns.iptables ? conntrackFind(w.env, ns.name, pkt) : undefined;
  // the first packet of a connection conntrack has not seen (an ICMP error is RELATED)
  const fresh = !known && !isIcmpError(pkt);
  if (known?.reply && known.entry.nat) pkt = unNat(w, ns, known.entry, pkt, inbound);
  else if (ns.iptables && !known)
    ({ pkt, mark, entry } = serviceDnat(w, ns, 'PREROUTING', pkt, inbound));
  const ip = outerIp(pkt);
  if (isLocalAddress(ns, ip.dst)) {
    // filter INPUT: kube-proxy drops a node port whose Local policy finds no endpoint here
    const refused = refusedByFilter(ns, 'INPUT', pkt, w, fresh, mark);
    if (refused) return dropRefused(w, ns, pkt, refused, inbound);
    countHook(w, ns, 'nat', 'INPUT', pkt, fresh);
    return local(w, ns, devName, inbound, pkt);
  }
  if (localBroadcast(ns, ip.dst)) return broadcastInput(w, ns, devName, inbound, pkt);
  if (!ns.ipForward) {
    // ip_route_input_slow: forwarding off on the input device → EHOSTUNREACH → ip_error
    return w.drop(
      ns,
      pkt,
      `net.ipv4.ip_forward = 0: ${ns.name} does not forward packets for ${ip.dst.text}`,
      // ip_error(): with forwarding off on the input device it frees the packet before any icmp_send
      { kind: 'silent' },
      { ...inbound, consulted: [{ table: 'sysctl', line: 'net.ipv4.ip_forward = 0' }] },
    );
  }
  const r = fibLookup(ns, ip.dst);
  if (!r)
    return w.drop(
      ns,
      pkt,
      `no route to ${ip.dst.text}: Network is unreachable`,
      { kind: 'icmp', icmp: 'net' },
      inbound,
    );
  // ip_route_input_slow: a blackhole route discards the packet, telling nobody
  if (r.route.type === 'blackhole')
    return w.drop(
      ns,
      pkt,
      `${ns.name} discards the packet for ${ip.dst.text}: a blackhole route`,
      { kind: 'silent' },
      { ...inbound, consulted: [routeConsulted(r)] },
    );
  if (ip.ttl <= 1)
    return w.drop(
      ns,
      pkt,
      'Time to live exceeded',
      { kind: 'icmp', icmp: 'timeExceeded' },
      { ...inbound, consulted: [routeConsulted(r)] },
    );
  const dev = deviceOf(ns, r.route.dev);
  if (!dev) return w.drop(ns, pkt, `Cannot find device "${r.route.dev}"`, { kind: 'silent' });
  if (port && entry && dev.name === devName && ns.bridgeNfCallIptables) {
    // br_netfilter's bridged_dnat: a frame DNATed in the bridge's PREROUTING whose new destination
    // lies behind the same bridge is switched, not routed — no ip_forward, no TTL decrement
    // (net/bridge/br_netfilter_hooks.c br_nf_pre_routing_finish)
    // a pod its own Service picked goes back out the port it came in on: the bridge does that
    // only for a port in hairpin mode (br_forward.c should_deliver), else the frame is dropped
    const ingress = deviceOf(ns, port);
    if (outerIp(pkt).dst.bits === entry.orig.src.bits && ingress && !ingress.hairpin)
      return w.drop(
        ns,
        pkt,
        `${devName} does not send a frame back out ${port}, the port it came in on: hairpin mode is off`,
        { kind: 'silent' },
        {
          ...inbound,
          devOut: port,
          consulted: [
            {
              table: 'link',
              line: `${port}: hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off`,
            },
          ],
        },
      );
    countHook(w, ns, 'filter', 'FORWARD', pkt, true);
    const masq = masquerade(w, ns, r, pkt, mark, entry, dev.name, true);
    // the bridge hop that follows says so; the frame leaves on the last hop logged (DNAT or SNAT)
    return { at: 'transmit', ns, dev, nexthop: r.nexthop, pkt: masq, hop: w.lastHop() };
  }
  if (ip.df && ip.length > dev.mtu) {
    return w.drop(
      ns,
      pkt,
      `Frag needed and DF set (mtu = ${dev.mtu})`,
      { kind: 'icmp', icmp: 'fragNeeded', mtu: dev.mtu },
      { ...inbound, devOut: dev.name, consulted: [routeConsulted(r)] },
    );
  }
  // ip_forward has taken the TTL before the filter FORWARD hook sees the packet
  const fwd0 = replaceOuterIp(pkt, { ...ip, ttl: ip.ttl - 1 });
  // ip_forward_finish → ip_output → ip_fragment (a fragment in flight is split further)
  const split = ip.df ? undefined : fragment(fwd0, dev.mtu);
  const note = split ? fragmentNote(fwd0, split, dev.mtu, dev.name) : undefined;
  const fwd = split ?? fwd0;
  const refused = refusedByFilter(ns, 'FORWARD', fwd, w, fresh, mark);
  if (refused) return dropRefused(w, ns, fwd, refused, inbound);
  if (ns.iptables && !known && !entry && !isIcmpError(pkt)) trackFlow(w.env, ns.name, pkt);
  let hop = w.push({
    namespace: ns.name,
    action: 'forward',
    title: `${ns.name} routes ${ip.dst.text} via ${r.route.dev}${note ? ` and ${note.phrase}` : ''}`,
    ...inbound,
    devOut: dev.name,
    consulted: [routeConsulted(r)],
    headers: fwd,
    changes: [`TTL ${ip.ttl} → ${ip.ttl - 1}`, ...(note ? [note.change] : [])],
  });
  const masq = masquerade(w, ns, r, fwd, mark, entry, dev.name, fresh);
  if (masq !== fwd) hop += 1;
  return { at: 'transmit', ns, dev, nexthop: r.nexthop, pkt: masq, hop };
}

/** For this namespace: a tunnel device takes in what is for it (tunnel.ts); anything else is delivered. */
function local(
  w: Walker,
  ns: Namespace,
  devName: string,
  inbound: Partial<Hop>,
  arrived: Packet,
): State {
  // ip_local_deliver → ip_defrag: the datagram is whole again before any protocol sees it
  const re = reassemble(arrived);
  const pkt = re?.pkt ?? arrived;
  const defrag = re
    ? {
        changes: [`reassembled from ${re.from} fragments (ip_defrag)`],
        extra: { reassembledFrom: arrived },
      }
    : { changes: [], extra: {} };
  const ip = outerIp(pkt);
  const tunnelled = decapsulate(w, ns, pkt, { inbound, devName, ...defrag });
  if (tunnelled) return tunnelled;
  const holder =
    ns.devices.find((d) => d.addresses.some((x) => x.ip.bits === ip.dst.bits))?.name ?? devName;
  w.push({
    namespace: ns.name,
    action: 'deliver',
    title: `${deliverTitle(w, ns, pkt, '')}${re ? ` (reassembled from ${re.from} fragments)` : ''}`,
    ...inbound,
    consulted: [{ table: 'local', line: localLine(ip.dst.text, holder) }],
    headers: pkt,
    changes: defrag.changes,
    ...defrag.extra,
    ...unenforcedPolicyNotes(w, ns, pkt),
  });
  return {
    at: 'end',
    end: { kind: 'delivered', namespace: ns.name, device: devName, packet: pkt },
  };
}

/**
 * A packet for one of this namespace's subnet broadcast addresses: route input
 * finds `broadcast <addr>` in table local and takes it in (ip_route_input_slow
 * → brd_input), never forwarding it (bc_forwarding is off). ICMP ignores an echo
 * request sent there (icmp_rcv, net.ipv4.icmp_echo_ignore_broadcasts = 1), TCP
 * neither accepts nor resets it (tcp_v4_conn_request / tcp_v4_send_reset want
 * RTN_LOCAL); UDP hands it to whatever socket is bound to the port, and no port
 * unreachable is ever sent about it (__icmp_send: no replies to broadcast).
 */
function broadcastInput(
  w: Walker,
  ns: Namespace,
  devName: string,
  inbound: Partial<Hop>,
  pkt: Packet,
): State {
  const ip = outerIp(pkt);
  const l4 = transport(pkt);
  const entry = localBroadcast(ns, ip.dst)!;
  const line = {
    table: 'local' as const,
    line: broadcastLine(ip.dst.text, entry.device.name, entry.of.ip.text),
  };
  if (l4?.kind === 'icmp' && l4.type === 'echo-request')
    return w.drop(
      ns,
      pkt,
      `net.ipv4.icmp_echo_ignore_broadcasts = 1: ${ns.name} ignores an echo request to the broadcast address ${ip.dst.text}`,
      { kind: 'silent' },
      {
        ...inbound,
        consulted: [line, { table: 'sysctl', line: 'net.ipv4.icmp_echo_ignore_broadcasts = 1' }],
      },
    );
  if (l4?.kind !== 'udp')
    return w.drop(
      ns,
      pkt,
      `${ns.name} takes ${ip.dst.text} as a broadcast: no TCP connection is accepted or reset from a broadcast address`,
      { kind: 'silent' },
      { ...inbound, consulted: [line] },
    );
  w.push({
    namespace: ns.name,
    action: 'deliver',
    title: `${ns.name} takes ${ip.dst.text} as a broadcast of ${entry.device.name}: delivered, not forwarded`,
    ...inbound,
    consulted: [line],
    headers: pkt,
    changes: [],
  });
  return {
    at: 'end',
    end: { kind: 'delivered', namespace: ns.name, device: devName, packet: pkt, broadcast: true },
  };
}

/** A delivery says what arrived: the request at its target, the answer, or an ICMP error back at the sender. */
function deliverTitle(w: Walker, ns: Namespace, pkt: Packet, via: string): string {
  const ip = outerIp(pkt);
  const l4 = transport(pkt);
  if (w.leg === 'error' && l4?.kind === 'icmp')
    return `${ns.name} receives the ICMP error from ${ip.src.text}${via}: ${icmpErrorText(l4)}`;
  if (w.leg === 'reply' && l4?.kind === 'tcp' && l4.flags === 'R.')
    return `${ns.name} receives a reset (RST) from ${ip.src.text}${via}: nothing listens on port ${l4.sport}`;
  if (w.leg === 'reply' && l4?.kind === 'tcp' && l4.flags === 'S.')
    return `${ns.name} receives the SYN-ACK from ${ip.src.text}${via}: port ${l4.sport} is open`;
  if (w.leg === 'reply') return `${ns.name} receives the answer from ${ip.src.text}${via}`;
  return `${ns.name} owns ${ip.dst.text}: delivered${via}`;
}
