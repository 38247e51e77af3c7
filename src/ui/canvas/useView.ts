import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useReactFlow, useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import type { ObjectRef } from '../../engine/index';
import type { AppState } from '../../store/state';
import { useApp, useAppStore } from '../storeContext';
import { reducedMotion } from '../motion';
import { packetPoints, type Focus } from './focus';
import { flowId, isFlowOf, type CanvasLayout, type Rect } from './layout';
import { selectFocus } from './selectors';
import { boundsOf, panToShow, readableFit, viewFor } from './viewport';

/**
 * Where the canvas looks, and when it moves on its own: the first view, a
 * cluster opened from outside, an object added off-screen, the packet on its
 * way, and the Fit view button. Each frames the subject: the packet on its
 * hop, else the selection.
 */

/** The React Flow node id of a scenario object. */
const flowIdOf = (ref: ObjectRef): string => flowId[ref.kind](ref.name);

/**
 * Room kept around the packet when a view frames it (flow px): the packet lands
 * well inside the canvas, with what it goes to next beside it.
 */
const PACKET_ROOM = { w: 520, h: 420 } as const;

function packetRect(focus: Focus | undefined, layout: CanvasLayout): Rect | undefined {
  const p = focus && packetPoints(focus, layout.anchors).at(-1);
  if (!p) return undefined;
  const { w, h } = PACKET_ROOM;
  return { x: p.x - w / 2, y: p.y - h / 2, w, h };
}

/** What a view keeps in sight: the played packet, else the selected object (a lesson step selects what it is about). */
function subjectOf(layout: CanvasLayout, st: AppState): Rect | undefined {
  const sel = st.selection;
  return packetRect(selectFocus(st), layout) ?? (sel ? layout.rects.get(flowIdOf(sel)) : undefined);
}

const isOutside = (r: Rect, view: { x: number; y: number; w: number; h: number }) =>
  r.x < view.x || r.y < view.y || r.x + r.w > view.x + view.w || r.y + r.h > view.y + view.h;

const selectImported = (s: AppState) => s.imported;

/**
 * Keep what changed in view: a readable view of the cluster when a different
 * one is loaded (an import, or none of the old subnets remain), or, when an
 * object was added where the viewport does not show it (a palette click puts
 * it in the next free slot), a readable view that shows it.
 */
export function useKeepInView(layout: CanvasLayout) {
  const { setViewport } = useReactFlow();
  const flowStore = useStoreApi();
  const store = useAppStore();
  const imported = useApp(selectImported);
  const seen = useRef<ReadonlySet<string> | null>(null);
  const framed = useRef(imported);
  useEffect(() => {
    const ids = new Set(layout.nodes.map((n) => n.id));
    const before = seen.current;
    seen.current = ids;
    const fresh = framed.current !== imported;
    framed.current = imported;
    if (!before || ids.size === 0) return;
    const subnets = [...ids].filter(isFlowOf('subnet'));
    const newCluster = fresh || (subnets.length > 0 && !subnets.some((id) => before.has(id)));
    const { width, height, transform } = flowStore.getState();
    const [tx, ty, zoom] = transform;
    const view = { x: -tx / zoom, y: -ty / zoom, w: width / zoom, h: height / zoom };
    const added = [...ids]
      .filter((id) => !before.has(id))
      .flatMap((id) => {
        const r = layout.rects.get(id);
        return r ? [r] : [];
      });
    if (!newCluster && !added.some((r) => isOutside(r, view))) return;
    const bounds = boundsOf(layout.rects.values());
    if (!bounds) return;
    const t = setTimeout(() => {
      // measured when it moves: an import's notice has just taken some of the canvas's height
      const { width: w, height: h } = flowStore.getState();
      if (w === 0 || h === 0) return;
      const focus = newCluster ? subjectOf(layout, store.getState()) : boundsOf(added);
      void setViewport(viewFor(bounds, { width: w, height: h }, focus), {
        duration: reducedMotion() ? 0 : 300,
      });
    }, 30);
    return () => clearTimeout(t);
  }, [layout, imported, setViewport, flowStore, store]);
}

const selectSized = (s: ReactFlowState) => !!s.panZoom && s.width > 0 && s.height > 0;

/**
 * The first view, once the canvas has a size: a readable fit of the layout's
 * own rectangles (no waiting on React Flow to measure every node), on the
 * packet when a link opened on a hop. Until then the drawing stays hidden, so
 * it does not flash at React Flow's default view.
 */
export function useInitialView(layout: CanvasLayout): boolean {
  const sized = useStore(selectSized);
  const flowStore = useStoreApi();
  const store = useAppStore();
  const { setViewport } = useReactFlow();
  const [placed, setPlaced] = useState(false);
  useLayoutEffect(() => {
    if (!sized || placed) return;
    const { width, height } = flowStore.getState();
    const bounds = boundsOf(layout.rects.values());
    if (bounds)
      void setViewport(viewFor(bounds, { width, height }, subjectOf(layout, store.getState())));
    setPlaced(true);
  }, [sized, placed, layout, flowStore, store, setViewport]);
  return placed;
}

/**
 * The played packet stays in view: when a hop leaves it outside the canvas
 * (a readable zoom may not show the whole cluster), the view pans just enough.
 * Not before the first view is placed: that one frames the packet itself.
 */
export function useFollowPacket(anchors: CanvasLayout['anchors'], placed: boolean) {
  const focus = useApp(selectFocus);
  const flowStore = useStoreApi();
  const { setViewport } = useReactFlow();
  const last = useRef<Focus | undefined>(undefined);
  useEffect(() => {
    if (!placed || !focus || focus === last.current) return;
    last.current = focus;
    const end = packetPoints(focus, anchors).at(-1);
    const { width, height, transform } = flowStore.getState();
    if (!end) return;
    const [x, y, zoom] = transform;
    const to = panToShow({ x, y, zoom }, { width, height }, end);
    if (to) void setViewport(to, { duration: reducedMotion() ? 0 : 250 });
  }, [focus, anchors, placed, flowStore, setViewport]);
}

/** Fit view: the whole cluster if it is legible so, else a legible zoom on the packet (or the selection). */
export function useReadableFit(layout: CanvasLayout): () => void {
  const flowStore = useStoreApi();
  const store = useAppStore();
  const { setViewport } = useReactFlow();
  return useCallback(() => {
    const { width, height } = flowStore.getState();
    const bounds = boundsOf(layout.rects.values());
    if (!bounds || width === 0 || height === 0) return;
    void setViewport(readableFit(bounds, { width, height }, subjectOf(layout, store.getState())), {
      duration: reducedMotion() ? 0 : 300,
    });
  }, [layout, flowStore, store, setViewport]);
}
