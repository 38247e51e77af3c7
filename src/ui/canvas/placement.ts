import type { XYPosition } from '@xyflow/react';
import type { Edit, ObjectKind, ObjectRef, Scenario } from '../../engine/index';
import type { AppState } from '../../store/state';
import { SIZE } from './geometry';
import { flowId, isFlowOf, type CanvasLayout, type FlowKind, type Rect } from './layout';
import type { CanvasModel } from './model';

/** The drag-and-drop type the palette puts on dataTransfer. */
export const DND_TYPE = 'application/podhop';
export const PALETTE_KINDS = ['subnet', 'router', 'node', 'pod', 'service'] as const;
export type PaletteKind = (typeof PALETTE_KINDS)[number];
export const isPaletteKind = (x: string): x is PaletteKind =>
  (PALETTE_KINDS as readonly string[]).includes(x);

/** What adding an object does: an edit for the store, or a hint why not. */
export type Placement =
  { readonly ok: true; readonly edit: Edit } | { readonly ok: false; readonly hint: string };

export const HINTS = {
  nodeOutside: 'Drop a node inside a subnet.',
  podOutside: 'Drop a pod inside a node.',
  noSubnet: 'Add a subnet first: a node lives on one.',
  noNode: 'Add a node first: a pod runs on one.',
} as const;

const round = (p: XYPosition): XYPosition => ({ x: Math.round(p.x), y: Math.round(p.y) });
const contains = (r: Rect, p: XYPosition) =>
  p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;

/** The innermost frame of a kind under a point of the flow. */
export function frameAt(
  layout: CanvasLayout,
  p: XYPosition,
  kind: 'subnet' | 'node',
): { name: string; rect: Rect } | undefined {
  const prefix = `${kind}:`;
  let best: { name: string; rect: Rect } | undefined;
  for (const [id, rect] of layout.rects) {
    if (!id.startsWith(prefix) || !contains(rect, p)) continue;
    if (!best || rect.w * rect.h < best.rect.w * best.rect.h)
      best = { name: id.slice(prefix.length), rect };
  }
  return best;
}

/** The size a new empty node frame and a new pod take (for finding them a free spot). */
type Size = { readonly w: number; readonly h: number };
const NEW_NODE: Size = { w: 390, h: 250 };
const NEW_POD: Size = { w: SIZE.podW, h: 90 };

const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

const siblingsOf = (layout: CanvasLayout, parentId: string, type: 'kubeNode' | 'pod') => {
  const parent = layout.rects.get(parentId);
  if (!parent) return [];
  return layout.nodes
    .filter((n) => n.parentId === parentId && n.type === type)
    .flatMap((n) => {
      const r = layout.rects.get(n.id);
      return r ? [{ ...r, x: r.x - parent.x, y: r.y - parent.y }] : [];
    });
};

/**
 * The next free slot in a frame: pods stack below their siblings, nodes line up
 * to the right of theirs (one row, so every eth0 reaches the subnet's bus
 * without crossing another node).
 */
function nextSlot(siblings: readonly Rect[], type: 'kubeNode' | 'pod'): XYPosition {
  const top = SIZE.nodeHeader + 4;
  if (siblings.length === 0) return { x: type === 'pod' ? SIZE.pad : 2 * SIZE.pad, y: top };
  if (type === 'pod') return { x: SIZE.pad, y: Math.max(...siblings.map((r) => r.y + r.h)) + 16 };
  return { x: Math.max(...siblings.map((r) => r.x + r.w)) + 30, y: top };
}

/** Where it was dropped if that spot is free, else the next free slot. */
function clearOf(
  layout: CanvasLayout,
  parentId: string,
  type: 'kubeNode' | 'pod',
  want: XYPosition,
  size: Size,
): XYPosition {
  const siblings = siblingsOf(layout, parentId, type);
  if (!siblings.some((r) => overlaps(r, { ...want, ...size }))) return want;
  return nextSlot(siblings, type);
}

/** The edit for a palette item dropped at a point of the flow. */
export function dropPlacement(layout: CanvasLayout, kind: PaletteKind, p: XYPosition): Placement {
  switch (kind) {
    case 'subnet':
      return {
        ok: true,
        edit: { kind: 'addSubnet', position: round({ x: p.x - 40, y: p.y - 14 }) },
      };
    case 'router': {
      // dropped on a subnet: joined to it, and set just above its frame
      const s = frameAt(layout, p, 'subnet');
      const position = round({
        x: p.x - SIZE.routerW / 2,
        y: s ? s.rect.y - 130 : p.y - 20,
      });
      return {
        ok: true,
        edit: { kind: 'addRouter', position, ...(s ? { subnets: [s.name] } : {}) },
      };
    }
    case 'node': {
      const s = frameAt(layout, p, 'subnet');
      if (!s) return { ok: false, hint: HINTS.nodeOutside };
      const want = {
        x: Math.max(10, p.x - s.rect.x - 80),
        y: Math.max(SIZE.nodeHeader + 4, p.y - s.rect.y - 20),
      };
      const position = round(clearOf(layout, flowId.subnet(s.name), 'kubeNode', want, NEW_NODE));
      return { ok: true, edit: { kind: 'addNode', subnet: s.name, position } };
    }
    case 'pod': {
      const n = frameAt(layout, p, 'node');
      if (!n) return { ok: false, hint: HINTS.podOutside };
      const want = {
        x: Math.max(10, p.x - n.rect.x - SIZE.podW / 2),
        y: Math.max(SIZE.nodeHeader + 4, p.y - n.rect.y - 16),
      };
      const position = round(clearOf(layout, flowId.node(n.name), 'pod', want, NEW_POD));
      return { ok: true, edit: { kind: 'addPod', node: n.name, position } };
    }
    case 'service':
      // a ClusterIP lives on no device: a Service goes wherever it is dropped
      return {
        ok: true,
        edit: {
          kind: 'addService',
          position: round({ x: p.x - SIZE.serviceW / 2, y: p.y - 20 }),
        },
      };
  }
}

/** A clicked Service: next to the last Service, else above the subnets, right of the routers. */
function serviceSlot(layout: CanvasLayout): XYPosition {
  const services = rectsOf(layout, 'service');
  const last = services.reduce<Rect | undefined>(
    (a, r) => (!a || r.x + r.w > a.x + a.w ? r : a),
    undefined,
  );
  if (last) return { x: last.x + last.w + 30, y: last.y };
  const frames = rectsOf(layout, 'subnet');
  const above = [...frames, ...rectsOf(layout, 'router')];
  const x = Math.max(0, ...above.map((r) => r.x + r.w + 40));
  const y = Math.min(0, ...frames.map((r) => r.y)) - 140;
  return { x, y };
}

function targetSubnet(m: CanvasModel, sel: ObjectRef | null): string | undefined {
  if (sel?.kind === 'subnet' && m.subnets.some((s) => s.name === sel.name)) return sel.name;
  const node =
    sel?.kind === 'node'
      ? sel.name
      : sel?.kind === 'pod'
        ? m.pods.find((p) => p.name === sel.name)?.node
        : undefined;
  const viaNode = m.nodes.find((n) => n.name === node)?.subnet;
  if (viaNode && m.subnets.some((s) => s.name === viaNode)) return viaNode;
  return m.subnets[0]?.name;
}

function targetNode(m: CanvasModel, sel: ObjectRef | null): string | undefined {
  if (sel?.kind === 'node' && m.nodes.some((n) => n.name === sel.name)) return sel.name;
  if (sel?.kind === 'pod') {
    const on = m.pods.find((p) => p.name === sel.name)?.node;
    if (on && m.nodes.some((n) => n.name === on)) return on;
  }
  if (sel?.kind === 'subnet') {
    const first = m.nodes.find((n) => n.subnet === sel.name);
    if (first) return first.name;
  }
  return m.nodes[0]?.name;
}

const rectsOf = (layout: CanvasLayout, kind: FlowKind) =>
  [...layout.rects].filter(([id]) => isFlowOf(kind)(id)).map(([, r]) => r);

/**
 * The edit for a palette item clicked (or pressed) instead of dragged: a node
 * goes into the selected subnet (else the first), a pod onto the selected node
 * (else the first), each in the next free slot of its frame.
 */
export function clickPlacement(
  layout: CanvasLayout,
  m: CanvasModel,
  kind: PaletteKind,
  sel: ObjectRef | null,
): Placement {
  switch (kind) {
    case 'subnet': {
      const frames = rectsOf(layout, 'subnet');
      const x = Math.max(0, ...frames.map((r) => r.x + r.w + 80));
      const y = frames.length ? Math.min(...frames.map((r) => r.y)) : 0;
      return {
        ok: true,
        edit: { kind: 'addSubnet', position: round({ x: frames.length ? x : 0, y }) },
      };
    }
    case 'router': {
      const subnet = sel?.kind === 'subnet' ? sel.name : targetSubnet(m, sel);
      const s = subnet ? layout.rects.get(flowId.subnet(subnet)) : undefined;
      // clear of the routers and Services already drawn above the subnets
      const taken = [...rectsOf(layout, 'router'), ...rectsOf(layout, 'service')];
      let x = s ? s.x + s.w / 2 - SIZE.routerW / 2 : 0;
      const y = s ? s.y - 140 : -140;
      const gap = 20;
      const hits = (r: Rect) =>
        overlaps(r, { x: x - gap, y: y - gap, w: SIZE.routerW + 2 * gap, h: 100 + 2 * gap });
      for (let hit = taken.find(hits); hit; hit = taken.find(hits)) x = hit.x + hit.w + gap + 10;
      return {
        ok: true,
        edit: {
          kind: 'addRouter',
          position: round({ x, y }),
          ...(subnet ? { subnets: [subnet] } : {}),
        },
      };
    }
    case 'node': {
      const subnet = targetSubnet(m, sel);
      if (!subnet || !layout.rects.has(flowId.subnet(subnet)))
        return { ok: false, hint: HINTS.noSubnet };
      const siblings = siblingsOf(layout, flowId.subnet(subnet), 'kubeNode');
      const position = round(nextSlot(siblings, 'kubeNode'));
      return { ok: true, edit: { kind: 'addNode', subnet, position } };
    }
    case 'pod': {
      const node = targetNode(m, sel);
      if (!node || !layout.rects.has(flowId.node(node))) return { ok: false, hint: HINTS.noNode };
      const siblings = siblingsOf(layout, flowId.node(node), 'pod');
      const position = round(nextSlot(siblings, 'pod'));
      return { ok: true, edit: { kind: 'addPod', node, position } };
    }
    case 'service':
      return { ok: true, edit: { kind: 'addService', position: round(serviceSlot(layout)) } };
  }
}

/** The scenario object behind a canvas node (a node's devices and routing stand for their node). */
export function refOfFlowId(id: string): ObjectRef | null {
  const i = id.indexOf(':');
  const kind = id.slice(0, i);
  const name = id.slice(i + 1);
  switch (kind) {
    case 'subnet':
    case 'router':
    case 'node':
    case 'pod':
    case 'service':
      return { kind, name };
    case 'bridge':
    case 'routed':
    case 'vxlan':
    case 'ipip':
      return { kind: 'node', name };
    default:
      return null;
  }
}

/** The kind of object a palette edit adds. */
const ADDS: Partial<Record<Edit['kind'], ObjectKind>> = {
  addSubnet: 'subnet',
  addRouter: 'router',
  addNode: 'node',
  addPod: 'pod',
  addService: 'service',
};

const namesOf = (s: Scenario, kind: ObjectKind): readonly string[] => {
  switch (kind) {
    case 'subnet':
      return s.subnets.map((x) => x.name);
    case 'router':
      return s.routers.map((x) => x.name);
    case 'node':
      return s.nodes.map((x) => x.name);
    case 'pod':
      return s.pods.map((x) => x.name);
    case 'service':
      return s.services.map((x) => x.name);
  }
};

/**
 * Applies a palette edit and selects what it added, so the inspector shows the
 * new object (its name is the store's to choose: the one that was not there
 * before, else the last of its kind).
 */
export function addAndSelect(store: { getState(): AppState }, edit: Edit): void {
  const st = store.getState();
  const kind = ADDS[edit.kind];
  const before = kind ? new Set(namesOf(st.scenario, kind)) : undefined;
  st.apply(edit);
  if (!kind || !before) return;
  const after = store.getState();
  if (after.scenario === st.scenario) return;
  const names = namesOf(after.scenario, kind);
  const name = names.filter((n) => !before.has(n)).at(-1) ?? names.at(-1);
  if (name) after.select({ kind, name });
}
