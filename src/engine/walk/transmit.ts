import type { IpAddr } from '../addr/ip';
import type { Network, Segment, SegmentPort } from '../network/types';
import { deviceOf, fibLookup } from './fib';
import { conntrackFind, trackFlow } from './netfilter';
import { countHook, unNat } from './nat';
import { isIcmpError, outerIp, type Ipv4Layer, type Packet } from './packet';
import { arpTarget, portOf } from './segmentIndex';
import { tunnelTransmit } from './tunnel';
import { type State, type Transmit, type Walker } from './walker';

/** Out through a device: a tunnel device encapsulates; anything else puts a frame on its L2 segment. */
export function transmit(w: Walker, st: Transmit): State {
  const { ns, dev, nexthop, pkt } = st;
  if (dev.kind === 'vxlan' || dev.kind === 'ipip') return tunnelTransmit(w, st, dev);
  if (!dev.segment) return w.drop(ns, pkt, `${dev.name} leads nowhere`, { kind: 'silent' });
  const seg = w.net.segment(dev.segment);
  const sender = seg ? portOf(seg, ns.name, dev.name) : undefined;
  const target = seg
    ? (arpTarget(seg, nexthop, sender) ?? proxyArpTarget(w.net, seg, nexthop, sender))
    : undefined;
  if (!seg || !sender || !target) {
    // neigh_invalidate → arp_error_report → ICMP host unreachable (net/ipv4/arp.c)
    return w.drop(
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
  w.setWire(st.hop, seg.id, frame);
  if (seg.kind === 'underlay' && seg.srcDstCheck) {
    const blocked = cloudCheck(w.net, seg, sender, target, outerIp(pkt));
    if (blocked)
      return w.drop(
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
  if (seg.kind === 'bridge') return bridgeForward(w, seg, sender, target, pkt);
  const targetNs = w.net.namespace(target.namespace);
  if (!targetNs) return w.drop(ns, pkt, `${target.namespace} is gone`, { kind: 'silent' });
  return { at: 'receive', ns: targetNs, dev: target.device, pkt };
}

/**
 * Proxy-ARP: with net.ipv4.conf.<dev>.proxy_arp = 1 and forwarding on, a namespace
 * answers ARP on that interface, with the interface's MAC, for an address it routes
 * out of another interface (net/ipv4/arp.c arp_process → arp_fwd_proxy:
 * `rt->dst.dev != dev`). Calico's cali… veths answer the pod's 169.254.1.1 this way.
 */
function proxyArpTarget(
  net: Network,
  seg: Segment,
  a: IpAddr,
  asker: SegmentPort | undefined,
): SegmentPort | undefined {
  for (const p of seg.ports) {
    if (p === asker) continue;
    const ns = net.namespace(p.namespace);
    if (!ns?.ipForward || !deviceOf(ns, p.device)?.sysctls?.proxyArp) continue;
    const r = fibLookup(ns, a);
    if (r && !r.local && !r.route.type && r.route.dev !== p.device) return p;
  }
  return undefined;
}

/**
 * A node's cni0: a frame for the bridge's own MAC goes up to the node's IP
 * layer (br_handle_frame_finish → local); any other is switched to the port
 * owning the MAC. With net.bridge.bridge-nf-call-iptables = 1 the switched
 * frame meets conntrack, which un-NATs a Service reply from a same-node endpoint.
 */
function bridgeForward(
  w: Walker,
  bridge: Segment,
  from: SegmentPort,
  to: SegmentPort,
  pkt: Packet,
): State {
  const node = w.net.namespace(bridge.owner);
  const toNs = w.net.namespace(to.namespace);
  const fromNs = w.net.namespace(from.namespace);
  if (!node || !toNs || !fromNs)
    return {
      at: 'end',
      end: {
        kind: 'dropped',
        namespace: bridge.owner,
        reason: `${to.namespace} is gone`,
        drop: { kind: 'silent' },
        packet: pkt,
      },
    };
  if (to.namespace === bridge.owner)
    return {
      at: 'receive',
      ns: node,
      dev: to.device,
      ...(from.bridgePort ? { port: from.bridgePort } : {}),
      pkt,
    };
  const portIn = from.bridgePort ?? from.device;
  const portOut = to.bridgePort ?? to.device;
  let p = pkt;
  // a frame the node routed onto cni0 already carries its conntrack entry; only pod-to-pod frames meet it here
  if (node.bridgeNfCallIptables && node.iptables && from.namespace !== bridge.owner) {
    const known = conntrackFind(w.env, node.name, pkt);
    const inbound = { devIn: portIn, portIn };
    if (known?.reply && known.entry.nat)
      p = unNat(w, node, known.entry, pkt, inbound, {
        table: 'sysctl',
        line: 'net.bridge.bridge-nf-call-iptables = 1',
      });
    else if (!known) trackFlow(w.env, node.name, pkt);
    // br_netfilter hands the bridged frame to the IPv4 hooks: PREROUTING, FORWARD, POSTROUTING
    const fresh = !known && !isIcmpError(pkt);
    countHook(w, node, 'nat', 'PREROUTING', pkt, fresh);
    countHook(w, node, 'filter', 'FORWARD', p, fresh);
    countHook(w, node, 'nat', 'POSTROUTING', p, fresh);
  }
  w.push({
    namespace: bridge.owner,
    action: 'bridge',
    title: `${bridge.owner}'s cni0 bridges the frame to ${portOut} (no routing, TTL unchanged)`,
    devIn: portIn,
    ...(from.bridgePort ? { portIn: from.bridgePort } : {}),
    devOut: portOut,
    ...(to.bridgePort ? { portOut: to.bridgePort } : {}),
    consulted: [
      { table: 'fdb', line: `${to.mac} dev ${portOut} master cni0 ` },
      // with the sysctl off, a bridged frame never meets iptables or conntrack
      ...(node.iptables && !node.bridgeNfCallIptables && from.namespace !== bridge.owner
        ? [{ table: 'sysctl' as const, line: 'net.bridge.bridge-nf-call-iptables = 0' }]
        : []),
    ],
    headers: [{ kind: 'eth', src: from.mac, dst: to.mac }, ...p],
    changes: [],
  });
  return { at: 'receive', ns: toNs, dev: to.device, pkt: p };
}

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
