import type { XYPosition } from '@xyflow/react';
import { parseSegment, tunnelOf, type Hop, type Leg, type Network } from '../../engine/index';
import { anchorId, edgeId, flowId, portId } from './layout';
import { serviceTouched } from './serviceFocus';

/**
 * What one hop of the played packet touches on the canvas: the components to
 * light up, and the path the packet marker travels from the previous hop to
 * this one (as anchor names the layout resolves to points). Read from the hop
 * (namespace, devices, segment) and the devices the engine installed.
 */
export type Focus = {
  readonly index: number;
  /** React Flow node ids and edge ids to highlight */
  readonly active: ReadonlySet<string>;
  /** anchors in travel order; the last is where the packet rests after this hop */
  readonly path: readonly string[];
  /** the namespace's own component, where the marker falls back to */
  readonly home: string;
  readonly encapsulated: boolean;
  /** the packet was encapsulated while it travelled to this hop */
  readonly wasEncapsulated: boolean;
  readonly dropped: boolean;
  readonly reason?: string;
  readonly leg: Leg;
  /** the innermost transport, for the marker's label */
  readonly proto: string;
};

type Attach = { readonly subnet: string; readonly port: string };
type Place = {
  readonly anchor: string;
  readonly comps: readonly string[];
  readonly attach?: Attach;
};

function homeOf(net: Network, ns: string): string {
  switch (net.namespace(ns)?.kind) {
    case 'pod':
      return flowId.pod(ns);
    case 'router':
      return flowId.router(ns);
    case 'node':
      return flowId.node(ns);
    case undefined:
      return flowId.node(ns);
  }
}

/** Where a device of a namespace is drawn, and what lights up when a packet crosses it. */
function place(net: Network, ns: string, dev: string | undefined): Place {
  const n = net.namespace(ns);
  const home = homeOf(net, ns);
  const d = dev ? n?.devices.find((x) => x.name === dev) : undefined;
  const seg = parseSegment(d?.segment);
  const subnet = seg?.kind === 'subnet' ? seg.subnet : undefined;
  switch (n?.kind) {
    case 'pod':
      // loopback never leaves the pod: no veth, no bridge
      return d?.kind === 'loopback' || dev === 'lo'
        ? { anchor: anchorId.inside(ns), comps: [home] }
        : { anchor: home, comps: [home, edgeId.veth(ns)] };
    case 'router':
      return subnet
        ? {
            anchor: home,
            comps: [home, flowId.subnet(subnet), edgeId.router(ns, subnet)],
            attach: { subnet, port: portId.router(ns) },
          }
        : { anchor: home, comps: [home] };
    case 'node': {
      if (!d) return { anchor: home, comps: [home] };
      if (d.kind === 'bridge') return { anchor: flowId.bridge(ns), comps: [flowId.bridge(ns)] };
      if (d.kind === 'veth') {
        // a bridge port meets its bridge; a veth with no master (Calico's cali…) is routed
        const hub = d.master ? flowId.bridge(ns) : flowId.routed(ns);
        return { anchor: hub, comps: [hub, ...(d.peer ? [edgeId.veth(d.peer.namespace)] : [])] };
      }
      if (d.kind === 'vxlan' || d.kind === 'ipip')
        return { anchor: flowId[d.kind](ns), comps: [flowId[d.kind](ns)] };
      if (subnet)
        return {
          anchor: anchorId.eth0(ns),
          comps: [flowId.subnet(subnet), edgeId.eth0(ns)],
          attach: { subnet, port: portId.node(ns) },
        };
      return { anchor: home, comps: [home] };
    }
    case undefined:
      return { anchor: home, comps: [home] };
  }
}

const isEncapsulated = (h: Hop | undefined) => !!h && tunnelOf(h.headers) !== undefined;

function protoOf(h: Hop): string {
  let last = -1;
  h.headers.forEach((l, i) => {
    if (l.kind === 'ipv4') last = i;
  });
  const t = h.headers[last + 1];
  return t && t.kind !== 'ipv4' && t.kind !== 'eth' ? t.kind.toUpperCase() : 'IP';
}

/** Where the packet is once this hop is done. */
function restOf(net: Network, h: Hop): Place {
  const inP = h.devIn ? place(net, h.namespace, h.devIn) : undefined;
  const outP = h.devOut ? place(net, h.namespace, h.devOut) : undefined;
  const home = homeOf(net, h.namespace);
  switch (h.action) {
    case 'encapsulate':
      return inP ?? outP ?? { anchor: home, comps: [home] };
    case 'deliver':
      return h.devIn === 'lo' && net.namespace(h.namespace)?.kind === 'pod'
        ? { anchor: anchorId.inside(h.namespace), comps: [home] }
        : { anchor: home, comps: [home] };
    case 'drop':
      if (h.segment && outP?.attach)
        return { ...outP, anchor: anchorId.bus(outP.attach.subnet, outP.attach.port) };
      return outP ?? inP ?? { anchor: home, comps: [home] };
    case 'send':
    case 'forward':
    case 'bridge':
    case 'decapsulate':
    case 'dnat':
    case 'undnat':
    case 'snat':
      return outP ?? inP ?? { anchor: home, comps: [home] };
  }
}

export function hopFocus(net: Network, hops: readonly Hop[], index: number): Focus | undefined {
  const hop = hops[index];
  if (!hop) return undefined;
  const prev = index > 0 ? hops[index - 1] : undefined;
  const home = homeOf(net, hop.namespace);
  const inP = hop.devIn ? place(net, hop.namespace, hop.devIn) : undefined;
  const outP = hop.devOut ? place(net, hop.namespace, hop.devOut) : undefined;
  const ports = [hop.portIn, hop.portOut].flatMap((p) => (p ? [place(net, hop.namespace, p)] : []));
  const rest = restOf(net, hop);

  const active = new Set<string>([home, ...rest.comps]);
  for (const p of [inP, outP, ...ports]) for (const c of p?.comps ?? []) active.add(c);
  for (const seg of [hop.segment, hop.wire?.segment]) {
    const on = parseSegment(seg);
    if (on?.kind === 'subnet') active.add(flowId.subnet(on.subnet));
  }
  if (hop.action === 'encapsulate' || hop.action === 'decapsulate')
    active.add(edgeId.tunnel(hop.namespace));
  for (const id of serviceTouched(net, hops, index)) active.add(id);

  // a fresh packet (a new probe, a new leg from another namespace) appears where it is sent
  const fresh = !prev || (hop.action === 'send' && prev.namespace !== hop.namespace);
  const path: string[] = [];
  if (!fresh && prev) {
    const prevRest = restOf(net, prev);
    path.push(prevRest.anchor);
    const sentOn = prev.devOut ? place(net, prev.namespace, prev.devOut).attach : undefined;
    const cameIn = inP?.attach;
    if (sentOn && cameIn && sentOn.subnet === cameIn.subnet && prev.namespace !== hop.namespace)
      path.push(anchorId.bus(sentOn.subnet, sentOn.port), anchorId.bus(cameIn.subnet, cameIn.port));
    if (inP) path.push(inP.anchor);
    if (hop.action === 'drop' && hop.segment && outP) path.push(outP.anchor);
  }
  path.push(rest.anchor);
  const deduped = path.filter((a, i) => i === 0 || a !== path[i - 1]);

  return {
    index,
    active,
    path: deduped,
    home,
    encapsulated: isEncapsulated(hop),
    wasEncapsulated: !fresh && isEncapsulated(prev),
    dropped: hop.action === 'drop',
    reason: hop.reason,
    leg: hop.leg,
    proto: protoOf(hop),
  };
}

/** Points of the focus path, in flow coordinates; unknown anchors fall back to the namespace. */
export function packetPoints(focus: Focus, anchors: ReadonlyMap<string, XYPosition>): XYPosition[] {
  const pts = focus.path.flatMap((a) => {
    const p = anchors.get(a);
    return p ? [p] : [];
  });
  if (pts.length === 0 || !anchors.has(focus.path.at(-1) ?? '')) {
    const home = anchors.get(focus.home);
    if (home) pts.push(home);
  }
  return pts.filter((p, i) => i === 0 || p.x !== pts[i - 1]?.x || p.y !== pts[i - 1]?.y);
}
