import type { NodeModel, PodModel, RouterModel, ServiceModel, SubnetModel } from './model';

/** Sizes of what the canvas draws, in flow units; frames are sized from these. */
export const SIZE = {
  podW: 150,
  colW: 122,
  bridgeH: 48,
  /** a tunnel device: its name, address, encapsulation and the outer header's detail */
  tunnelH: 78,
  routerW: 236,
  serviceW: 220,
  /** a subnet's header row; its L2 segment (the "bus") runs just under it */
  subnetHeader: 26,
  busY: 34,
  /** a node frame's header (name, podCIDR or block); pods start under it */
  nodeHeader: 56,
  pad: 20,
  gap: 84,
} as const;

/**
 * The node's routing card (no bridge): its title, the per-pod routes, each blackhole
 * (two lines: the word and the block), proxy-ARP.
 */
export const routedHeight = (n: NodeModel): number =>
  10 + 17 + 15 + n.blocks.length * 30 + (n.routed?.proxyArp ? 15 : 0) + 2;

/**
 * A veth's name on its edge, at the edge's middle, in the SIZE.gap between the pods and
 * the device column: flannel's `veth` + 8 hex fit at 10px; Calico's `cali` + 11 hex (15
 * characters) take 9px and a tighter box, so the frames keep their widths (the seed's
 * stored node positions leave no room for a wider one).
 */
export const vethLabel = (name: string) =>
  name.length > 12
    ? { fontSize: 9, padding: [1, 1] as [number, number] }
    : { fontSize: 10, padding: [3, 1] as [number, number] };

/** Monospace 11px: characters per line in a box of this width (for wrapping estimates). */
const charsPerLine = (width: number) => Math.max(12, Math.floor((width - 20) / 6.7));
/** Wrapped lines, with room for the words that do not fill a line to its end. */
const linesOf = (texts: readonly string[], width: number) =>
  texts.reduce((n, t) => n + Math.max(1, Math.ceil((t.length * 1.15) / charsPerLine(width))), 0);

/** Lines a card's title (`POD <name>`, 13px bold, breaking anywhere) takes. */
const titleLines = (name: string, width: number) =>
  Math.max(1, Math.ceil((30 + name.length * 7.8) / (width - 18)));

/** The warning on a pod whose IP another pod holds too. */
export const sameIpText = (p: PodModel): string[] =>
  p.sameIp.length ? [`same IP as ${p.sameIp.join(', ')}`] : [];

/** The red block under a pod: its status message and any problems. */
export function podMessages(p: PodModel): string[] {
  const status = p.status?.message ? [p.status.message] : [];
  return [...status, ...sameIpText(p), ...p.problems];
}

export function podHeight(p: PodModel): number {
  const containers = Math.max(1, p.containers.length);
  const title = 19 + (titleLines(p.name, SIZE.podW) - 1) * 17;
  return 12 + title + 17 + 17 + containers * 16 + linesOf(podMessages(p), SIZE.podW) * 14 + 6;
}

export function routerHeight(r: RouterModel): number {
  return 32 + Math.max(1, r.interfaces.length) * 17 + linesOf(r.problems, SIZE.routerW) * 14 + 8;
}

/** Lines of the red block at the bottom of a node frame (install errors, events, problems). */
export function nodeMessages(n: NodeModel): string[] {
  return [...n.errors.flatMap((e) => [`$ ${e.command}`, e.text]), ...n.events, ...n.problems];
}

export const nodeMessagesHeight = (n: NodeModel, width: number) => {
  const m = nodeMessages(n);
  return m.length ? linesOf(m, width) * 15 + 12 : 0;
};

export const subnetMessagesHeight = (s: SubnetModel, width: number) =>
  s.problems.length ? linesOf(s.problems, width) * 15 + 10 : 0;

/** A Service box: its name, one line per port (ClusterIP:port → targetPort), endpoints, selector. */
export function serviceHeight(v: ServiceModel): number {
  return (
    12 +
    19 +
    // a node port takes a line of its own under its port
    Math.max(1, v.ports.length + v.ports.filter((p) => p.nodePort !== undefined).length) * 17 +
    16 +
    16 +
    linesOf(v.problems, SIZE.serviceW) * 14 +
    6
  );
}
