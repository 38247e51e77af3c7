import type { Edge, Node, XYPosition } from '@xyflow/react';
import {
  SIZE,
  nodeMessagesHeight,
  podHeight,
  routedHeight,
  routerHeight,
  serviceHeight,
  subnetMessagesHeight,
  vethLabel,
} from './geometry';
import type {
  CanvasModel,
  DeviceLabel,
  NodeModel,
  PodModel,
  RoutedLabel,
  RouterModel,
  ServiceModel,
  SubnetModel,
  TunnelLabel,
} from './model';

/**
 * Where everything goes: positions stored in the scenario (relative to the
 * parent frame for nodes and pods), an automatic slot for objects without one,
 * and frames sized to what they hold. Pure: the same model gives the same layout.
 */
export type SubnetPort = { readonly id: string; readonly x: number };
export type SubnetData = { readonly model: SubnetModel; readonly ports: readonly SubnetPort[] };
export type RouterData = { readonly model: RouterModel };
export type KubeNodeData = {
  readonly model: NodeModel;
  /** x of the eth0 port on the frame's top border */
  readonly eth0X: number;
  readonly messagesTop: number;
};
export type PodData = { readonly model: PodModel };
export type ServiceData = { readonly model: ServiceModel };
export type BridgeData = { readonly node: string; readonly label: DeviceLabel };
/** The node's routing to its pods when no bridge joins them (Calico): the veths end here. */
export type RoutedData = {
  readonly node: string;
  readonly label: RoutedLabel;
  readonly blocks: readonly string[];
};
/**
 * A Service's link to one endpoint pod: the ports kube-proxy DNATs to there
 * (`:8080`), labelled only while `shown` (the Service or the pod selected, or
 * the played hop on it); otherwise the edge is drawn faint.
 */
export type ServiceEdgeData = { readonly label: string; readonly shown?: boolean };
export type ServiceFlowEdge = Edge<ServiceEdgeData, 'service'>;
export type TunnelData = { readonly node: string; readonly label: TunnelLabel };

export type SubnetFlowNode = Node<SubnetData, 'subnet'>;
export type RouterFlowNode = Node<RouterData, 'router'>;
export type KubeFlowNode = Node<KubeNodeData, 'kubeNode'>;
export type PodFlowNode = Node<PodData, 'pod'>;
export type ServiceFlowNode = Node<ServiceData, 'service'>;
export type BridgeFlowNode = Node<BridgeData, 'bridge'>;
export type RoutedFlowNode = Node<RoutedData, 'routed'>;
/** a tunnel device, its React Flow type its kind: `vxlan` (flannel.1, vxlan.calico), `ipip` (tunl0) */
export type TunnelFlowNode = Node<TunnelData, TunnelLabel['kind']>;
export type CanvasNode =
  | SubnetFlowNode
  | RouterFlowNode
  | KubeFlowNode
  | PodFlowNode
  | ServiceFlowNode
  | BridgeFlowNode
  | RoutedFlowNode
  | TunnelFlowNode;

export type Rect = {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
};

export type CanvasLayout = {
  readonly nodes: readonly CanvasNode[];
  readonly edges: readonly Edge[];
  /** absolute rectangles by React Flow node id */
  readonly rects: ReadonlyMap<string, Rect>;
  /**
   * points the packet travels between (see focus.ts for the names): where each
   * component meets its wire (a pod's eth0 side, cni0's ports or the node's routing,
   * a tunnel device's link to eth0)
   */
  readonly anchors: ReadonlyMap<string, XYPosition>;
};

/** React Flow node ids: one namespace per kind, so a pod and a node may share a name. */
export const flowId = {
  subnet: (name: string) => `subnet:${name}`,
  router: (name: string) => `router:${name}`,
  node: (name: string) => `node:${name}`,
  pod: (name: string) => `pod:${name}`,
  service: (name: string) => `service:${name}`,
  bridge: (node: string) => `bridge:${node}`,
  routed: (node: string) => `routed:${node}`,
  vxlan: (node: string) => `vxlan:${node}`,
  ipip: (node: string) => `ipip:${node}`,
};
export type FlowKind = keyof typeof flowId;

/** The kind and name of a React Flow node id (undefined for an edge's or a foreign id). */
export function parseFlowId(id: string): { kind: FlowKind; name: string } | undefined {
  const at = id.indexOf(':');
  const kind = id.slice(0, at);
  return at > 0 && Object.hasOwn(flowId, kind)
    ? { kind: kind as FlowKind, name: id.slice(at + 1) }
    : undefined;
}
export const isFlowOf = (kind: FlowKind) => (id: string) => parseFlowId(id)?.kind === kind;
export const edgeId = {
  router: (router: string, subnet: string) => `edge:router:${router}:${subnet}`,
  eth0: (node: string) => `edge:eth0:${node}`,
  /** a tunnel device's link to eth0 (the outer packet's way out) */
  tunnel: (node: string) => `edge:tunnel:${node}`,
  veth: (pod: string) => `edge:veth:${pod}`,
  service: (service: string, pod: string) => `edge:svc:${service}:${pod}`,
};
export const anchorId = {
  eth0: (node: string) => `eth0:${node}`,
  bus: (subnet: string, port: string) => `bus:${subnet}:${port}`,
  /** inside a pod, where a packet over `lo` stays */
  inside: (pod: string) => `inside:${pod}`,
};
export const portId = {
  node: (node: string) => `n-${node}`,
  router: (router: string) => `r-${router}`,
};

const center = (r: Rect): XYPosition => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

type Inner = {
  readonly w: number;
  readonly h: number;
  readonly eth0X: number;
  readonly messagesTop: number;
  readonly pods: readonly { p: PodModel; x: number; y: number; h: number }[];
  readonly tunnel?: XYPosition;
  /** where the pods' veths end: the bridge, or the node's routing when there is none */
  readonly hub?: XYPosition;
};

/** Pods per column when a node's pods have no stored positions (a generated cluster). */
const podsPerColumn = (count: number) => Math.max(4, Math.ceil(Math.sqrt(count)) + 1);

/** The height of what the pods' veths end on: the bridge card, or the routing card. */
const hubHeight = (n: NodeModel) =>
  n.bridge ? SIZE.bridgeH : n.routed ? routedHeight(n) : undefined;

/**
 * A node frame's inside: pods on the left, the tunnel device and cni0 (or the node's
 * routing) in a column on the right. Pods without a stored position fill a grid below
 * the ones that have one.
 */
function layoutNodeInside(n: NodeModel, pods: readonly PodModel[]): Inner {
  const top = SIZE.nodeHeader + 4;
  const heights = new Map(pods.map((p) => [p, podHeight(p)]));
  const positioned = pods.filter((p) => p.position);
  const loose = pods.filter((p) => !p.position);
  const slot = new Map(loose.map((p, k) => [p, k]));
  const start = Math.max(top, ...positioned.map((p) => p.position!.y + heights.get(p)! + 16));
  const rowStep = Math.max(0, ...loose.map((p) => heights.get(p)!)) + 16;
  const perColumn = podsPerColumn(loose.length);
  const placed = pods.map((p) => {
    const h = heights.get(p)!;
    const k = slot.get(p) ?? 0;
    const at = p.position ?? {
      x: SIZE.pad + Math.floor(k / perColumn) * (SIZE.podW + 16),
      y: start + (k % perColumn) * rowStep,
    };
    return { p, x: at.x, y: at.y, h };
  });
  const podRight = Math.max(SIZE.pad + SIZE.podW, ...placed.map((q) => q.x + SIZE.podW));
  const colX = podRight + SIZE.gap;
  const tunnel = n.tunnel ? { x: colX, y: top } : undefined;
  const below = tunnel ? top + SIZE.tunnelH + 30 : top;
  const podTop = Math.min(top, ...placed.map((q) => q.y));
  const podBottom = Math.max(top, ...placed.map((q) => q.y + q.h));
  const hubH = hubHeight(n);
  const hub =
    hubH === undefined
      ? undefined
      : { x: colX, y: Math.round(Math.max(below, (podTop + podBottom) / 2 - hubH / 2)) };
  // an empty node keeps room for a pod or two: somewhere to drop one
  const bottom = Math.max(
    top + 170,
    podBottom,
    tunnel ? tunnel.y + SIZE.tunnelH : 0,
    hub && hubH ? hub.y + hubH : 0,
  );
  const w = colX + SIZE.colW + 12;
  const messagesTop = bottom + 12;
  const messages = nodeMessagesHeight(n, w);
  return {
    w,
    h: messagesTop + messages + 4,
    eth0X: colX + SIZE.colW / 2,
    messagesTop,
    pods: placed,
    tunnel,
    hub,
  };
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of list) {
    const k = key(t);
    const l = m.get(k);
    if (l) l.push(t);
    else m.set(k, [t]);
  }
  return m;
}

export function layoutCluster(m: CanvasModel): CanvasLayout {
  const rects = new Map<string, Rect>();
  const anchors = new Map<string, XYPosition>();
  const edges: Edge[] = [];
  const subnetNodes: SubnetFlowNode[] = [];
  const routerNodes: RouterFlowNode[] = [];
  const inside: CanvasNode[] = [];

  const subnetNames = new Set(m.subnets.map((s) => s.name));
  const nodeNames = new Set(m.nodes.map((n) => n.name));
  const podsByNode = groupBy(
    m.pods.filter((p) => nodeNames.has(p.node)),
    (p) => p.node,
  );
  const inner = new Map(
    m.nodes.map((n) => [n.name, layoutNodeInside(n, podsByNode.get(n.name) ?? [])]),
  );
  const nodesBySubnet = groupBy(
    m.nodes.filter((n) => subnetNames.has(n.subnet)),
    (n) => n.subnet,
  );

  // subnets: stored position, or a slot to the right of the previous one
  let subnetCursor = 0;
  const subnetFrames = m.subnets.map((s) => {
    // nodes without a stored position: to the right of those with one, or (a
    // generated cluster, none stored) in rows of about √n
    const all = nodesBySubnet.get(s.name) ?? [];
    const loose = all.filter((n) => !n.position);
    const slot = new Map(loose.map((n, k) => [n, k]));
    const anchored = all.filter((n) => n.position);
    const perRow = anchored.length ? Infinity : Math.max(3, Math.ceil(Math.sqrt(loose.length)));
    let x = Math.max(
      2 * SIZE.pad,
      ...anchored.map((n) => n.position!.x + inner.get(n.name)!.w + 30),
    );
    let y = SIZE.nodeHeader + 4;
    let rowH = 0;
    const members = all.map((n) => {
      const box = inner.get(n.name)!;
      if (n.position) return { n, at: n.position, box };
      const k = slot.get(n) ?? 0;
      if (k > 0 && k % perRow === 0) {
        x = 2 * SIZE.pad;
        y += rowH + 30;
        rowH = 0;
      }
      const at = { x, y };
      x += box.w + 30;
      rowH = Math.max(rowH, box.h);
      return { n, at, box };
    });
    const w0 = Math.max(360, ...members.map((x) => x.at.x + x.box.w + 2 * SIZE.pad));
    const contentH = Math.max(150, ...members.map((x) => x.at.y + x.box.h + 24));
    const h = contentH + subnetMessagesHeight(s, w0);
    const at = s.position ?? { x: subnetCursor, y: 0 };
    subnetCursor = Math.max(subnetCursor, at.x + w0 + 80);
    rects.set(flowId.subnet(s.name), { x: at.x, y: at.y, w: w0, h });
    return { s, at, w: w0, h, members };
  });

  // routers: stored position, or above the subnets they join
  const lowestTop = Math.min(0, ...subnetFrames.map((f) => f.at.y));
  let routerCursor = 0;
  m.routers.forEach((r, i) => {
    const h = routerHeight(r);
    const joined = subnetFrames.filter((f) => r.subnets.includes(f.s.name));
    let at = r.position;
    if (!at) {
      const cx = joined.length
        ? joined.reduce((sum, f) => sum + f.at.x + f.w / 2, 0) / joined.length
        : routerCursor + SIZE.routerW / 2;
      at = { x: Math.round(cx - SIZE.routerW / 2 + i * 24), y: lowestTop - h - 70 };
    }
    routerCursor = Math.max(routerCursor, at.x + SIZE.routerW + 40);
    rects.set(flowId.router(r.name), { x: at.x, y: at.y, w: SIZE.routerW, h });
  });

  for (const f of subnetFrames) {
    const ports: SubnetPort[] = [];
    for (const { n, at, box } of f.members) {
      const id = portId.node(n.name);
      ports.push({ id, x: at.x + box.eth0X });
      anchors.set(anchorId.bus(f.s.name, id), {
        x: f.at.x + at.x + box.eth0X,
        y: f.at.y + SIZE.busY,
      });
    }
    for (const r of m.routers) {
      if (!r.subnets.includes(f.s.name)) continue;
      const rr = rects.get(flowId.router(r.name))!;
      const id = portId.router(r.name);
      const x = Math.round(clamp(rr.x + rr.w / 2 - f.at.x, 16, f.w - 16));
      ports.push({ id, x });
      anchors.set(anchorId.bus(f.s.name, id), { x: f.at.x + x, y: f.at.y + SIZE.busY });
      edges.push({
        id: edgeId.router(r.name, f.s.name),
        source: flowId.router(r.name),
        sourceHandle: 'down',
        target: flowId.subnet(f.s.name),
        targetHandle: id,
        type: 'smoothstep',
        zIndex: 1,
        selectable: false,
        className: 'cv-edge cv-edge-router',
        ariaLabel: `${r.name} joins ${f.s.name}: click, then Delete to leave it`,
        data: { router: r.name, subnet: f.s.name },
      });
    }
    anchors.set(flowId.subnet(f.s.name), { x: f.at.x + f.w / 2, y: f.at.y + SIZE.busY });
    subnetNodes.push({
      id: flowId.subnet(f.s.name),
      type: 'subnet',
      position: f.at,
      width: f.w,
      height: f.h,
      data: { model: f.s, ports },
      dragHandle: '.cv-drag',
      ariaLabel: `subnet ${f.s.name} ${f.s.cidr}`,
    });
  }

  for (const r of m.routers) {
    const rr = rects.get(flowId.router(r.name))!;
    anchors.set(flowId.router(r.name), { x: rr.x + rr.w / 2, y: rr.y + rr.h });
    routerNodes.push({
      id: flowId.router(r.name),
      type: 'router',
      position: { x: rr.x, y: rr.y },
      width: rr.w,
      height: rr.h,
      data: { model: r },
      ariaLabel: `router ${r.name}`,
    });
  }

  // nodes without a drawn subnet (a build that failed) sit below everything, unparented
  const floorY = Math.max(0, ...subnetFrames.map((f) => f.at.y + f.h)) + 60;
  let orphanX = 0;
  const placedNodes = [
    ...subnetFrames.flatMap((f) => f.members.map((x) => ({ ...x, parent: f }))),
    ...m.nodes
      .filter((n) => !subnetNames.has(n.subnet))
      .map((n) => {
        const box = inner.get(n.name)!;
        const at = n.position ?? { x: orphanX, y: floorY };
        orphanX = Math.max(orphanX, at.x + box.w + 40);
        return { n, at, box, parent: undefined };
      }),
  ];

  for (const { n, at, box, parent } of placedNodes) {
    const id = flowId.node(n.name);
    const abs = parent ? { x: parent.at.x + at.x, y: parent.at.y + at.y } : at;
    rects.set(id, { ...abs, w: box.w, h: box.h });
    anchors.set(id, center({ ...abs, w: box.w, h: box.h }));
    anchors.set(anchorId.eth0(n.name), { x: abs.x + box.eth0X, y: abs.y });
    inside.push({
      id,
      type: 'kubeNode',
      position: at,
      width: box.w,
      height: box.h,
      ...(parent ? { parentId: flowId.subnet(parent.s.name), extent: 'parent' as const } : {}),
      data: { model: n, eth0X: box.eth0X, messagesTop: box.messagesTop },
      dragHandle: '.cv-drag',
      ariaLabel: `node ${n.name}`,
    });
    if (parent)
      edges.push({
        id: edgeId.eth0(n.name),
        source: id,
        sourceHandle: 'eth0',
        target: flowId.subnet(parent.s.name),
        targetHandle: portId.node(n.name),
        type: 'straight',
        selectable: false,
        className: 'cv-edge cv-edge-eth0',
      });
    if (box.tunnel && n.tunnel) {
      const kind = n.tunnel.kind;
      const tid = flowId[kind](n.name);
      const r = { x: abs.x + box.tunnel.x, y: abs.y + box.tunnel.y, w: SIZE.colW, h: SIZE.tunnelH };
      rects.set(tid, r);
      anchors.set(tid, { x: r.x + r.w / 2, y: r.y });
      inside.push({
        id: tid,
        type: kind,
        position: box.tunnel,
        width: SIZE.colW,
        height: SIZE.tunnelH,
        parentId: id,
        extent: 'parent',
        draggable: false,
        selectable: false,
        // it stands for its node, which is a Tab stop already
        focusable: false,
        data: { node: n.name, label: n.tunnel },
      });
      edges.push({
        id: edgeId.tunnel(n.name),
        source: tid,
        sourceHandle: 'up',
        target: id,
        targetHandle: 'eth0-in',
        type: 'straight',
        selectable: false,
        className: 'cv-edge cv-edge-vxlan',
      });
    }
    const hubH = hubHeight(n);
    const hubId = n.bridge ? flowId.bridge(n.name) : n.routed ? flowId.routed(n.name) : undefined;
    if (box.hub && hubId && hubH !== undefined) {
      const r = { x: abs.x + box.hub.x, y: abs.y + box.hub.y, w: SIZE.colW, h: hubH };
      rects.set(hubId, r);
      anchors.set(hubId, { x: r.x, y: r.y + r.h / 2 });
      const common = {
        id: hubId,
        position: box.hub,
        width: SIZE.colW,
        height: hubH,
        parentId: id,
        extent: 'parent' as const,
        draggable: false,
        selectable: false,
        focusable: false,
      };
      if (n.bridge)
        inside.push({ ...common, type: 'bridge', data: { node: n.name, label: n.bridge } });
      else if (n.routed)
        inside.push({
          ...common,
          type: 'routed',
          data: { node: n.name, label: n.routed, blocks: n.blocks },
        });
    }
    for (const q of box.pods) {
      const pid = flowId.pod(q.p.name);
      const r = { x: abs.x + q.x, y: abs.y + q.y, w: SIZE.podW, h: q.h };
      rects.set(pid, r);
      // the packet rests on the card's right edge at the title row, clear of the IP line
      anchors.set(pid, { x: r.x + r.w, y: r.y + 14 });
      anchors.set(anchorId.inside(q.p.name), center(r));
      inside.push({
        id: pid,
        type: 'pod',
        position: { x: q.x, y: q.y },
        width: SIZE.podW,
        height: q.h,
        parentId: id,
        extent: 'parent',
        ariaLabel: `pod ${q.p.name}`,
        data: { model: q.p },
      });
      // a pod the API server refused has no sandbox, so no veth
      if (hubId && box.hub && !q.p.refused)
        edges.push({
          id: edgeId.veth(q.p.name),
          source: pid,
          sourceHandle: 'veth',
          target: hubId,
          targetHandle: 'ports',
          selectable: false,
          className: 'cv-edge cv-edge-veth',
          ...(q.p.veth
            ? {
                label: q.p.veth,
                labelStyle: { fontFamily: 'var(--mono)', fontSize: vethLabel(q.p.veth).fontSize },
                labelBgPadding: vethLabel(q.p.veth).padding,
                labelBgBorderRadius: 3,
              }
            : {}),
        });
    }
  }

  // pods whose node is not drawn (a build that failed)
  let podX = orphanX;
  for (const p of m.pods.filter((x) => !nodeNames.has(x.node))) {
    const h = podHeight(p);
    const at = { x: podX, y: floorY };
    podX += SIZE.podW + 30;
    const pid = flowId.pod(p.name);
    rects.set(pid, { ...at, w: SIZE.podW, h });
    anchors.set(pid, center({ ...at, w: SIZE.podW, h }));
    anchors.set(anchorId.inside(p.name), center({ ...at, w: SIZE.podW, h }));
    inside.push({
      id: pid,
      type: 'pod',
      position: at,
      width: SIZE.podW,
      height: h,
      ariaLabel: `pod ${p.name}`,
      data: { model: p },
    });
  }

  const serviceNodes = layoutServices(m, rects, anchors, edges, lowestTop);
  return {
    nodes: [...subnetNodes, ...routerNodes, ...serviceNodes, ...inside],
    edges,
    rects,
    anchors,
  };
}

/**
 * Services float outside the subnets (a ClusterIP is on no device): at their
 * stored position, else in the row above the subnets, right of the routers.
 * A dashed edge runs to each endpoint pod that is drawn.
 */
function layoutServices(
  m: CanvasModel,
  rects: Map<string, Rect>,
  anchors: Map<string, XYPosition>,
  edges: Edge[],
  lowestTop: number,
): ServiceFlowNode[] {
  const drawnPods = new Set(m.pods.map((p) => p.name));
  let cursor = Math.max(
    0,
    ...[...rects]
      .filter(([id]) => isFlowOf('subnet')(id) || isFlowOf('router')(id))
      .map(([, r]) => r.x + r.w + 40),
  );
  return m.services.map((v) => {
    const h = serviceHeight(v);
    const at = v.position ?? { x: cursor, y: lowestTop - h - 70 };
    if (!v.position) cursor += SIZE.serviceW + 30;
    const id = flowId.service(v.name);
    rects.set(id, { x: at.x, y: at.y, w: SIZE.serviceW, h });
    anchors.set(id, { x: at.x + SIZE.serviceW / 2, y: at.y + h });
    const ports = new Map<string, Set<number>>();
    for (const p of v.ports)
      for (const e of p.endpoints) {
        if (e.pod === undefined || !drawnPods.has(e.pod)) continue;
        const set = ports.get(e.pod) ?? new Set<number>();
        set.add(e.port);
        ports.set(e.pod, set);
      }
    for (const [pod, set] of ports)
      edges.push({
        id: edgeId.service(v.name, pod),
        type: 'service',
        source: id,
        sourceHandle: 'endpoints',
        target: flowId.pod(pod),
        targetHandle: 'svc',
        selectable: false,
        className: 'cv-edge cv-edge-svc',
        data: { label: [...set].map((p) => `:${p}`).join(' ') },
      } satisfies ServiceFlowEdge);
    return {
      id,
      type: 'service',
      position: at,
      width: SIZE.serviceW,
      height: h,
      // it floats: dropped over a subnet, it stays above the frames
      zIndex: 5,
      ariaLabel: `Service ${v.name}`,
      data: { model: v },
    };
  });
}

const layouts = new WeakMap<CanvasModel, CanvasLayout>();

/** The layout of a model, memoised (the model itself is memoised per scenario). */
export function layoutOf(m: CanvasModel): CanvasLayout {
  let l = layouts.get(m);
  if (!l) layouts.set(m, (l = layoutCluster(m)));
  return l;
}
