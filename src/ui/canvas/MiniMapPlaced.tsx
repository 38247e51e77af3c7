import {
  MiniMap,
  Panel,
  useStore,
  type Node,
  type PanelPosition,
  type ReactFlowState,
  type XYPosition,
} from '@xyflow/react';
import { useCallback, useMemo, useState, type MouseEvent as ReactMouseEvent } from 'react';
import { isFlowOf, type CanvasLayout, type Rect } from './layout';

/** The mini map's size on screen, and the room it keeps from the canvas's edges (React Flow's panel margin). */
const MAP = { width: 180, height: 120, margin: 15 } as const;

/** Corners the map may take, in the order it prefers them (the zoom controls hold the bottom left). */
const CORNERS = ['bottom-right', 'top-right', 'top-left'] as const;
type Corner = (typeof CORNERS)[number];

type Screen = { x: number; y: number; w: number; h: number };

function cornerBox(c: Corner, width: number, height: number): Screen {
  const x = c.endsWith('right') ? width - MAP.margin - MAP.width : MAP.margin;
  const y = c.startsWith('bottom') ? height - MAP.margin - MAP.height : MAP.margin;
  // a few pixels around it, so a card does not end flush against it
  return { x: x - 6, y: y - 6, w: MAP.width + 12, h: MAP.height + 12 };
}

const meets = (a: Screen, b: Screen) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * The first corner where the map covers none of the drawn objects, or null
 * when every corner has one under it (then the map folds to a button).
 */
export function freeCorner(
  rects: readonly Rect[],
  transform: readonly [number, number, number],
  width: number,
  height: number,
): Corner | null {
  const [tx, ty, zoom] = transform;
  const onScreen = rects.map((r) => ({
    x: r.x * zoom + tx,
    y: r.y * zoom + ty,
    w: r.w * zoom,
    h: r.h * zoom,
  }));
  return CORNERS.find((c) => !onScreen.some((r) => meets(r, cornerBox(c, width, height)))) ?? null;
}

/** What the map must not cover: every card but the subnets' frames, of which only the header and bus count. */
export function coveredRects(layout: CanvasLayout): Rect[] {
  return [...layout.rects].flatMap(([id, r]) =>
    isFlowOf('subnet')(id) ? [{ ...r, h: Math.min(r.h, SUBNET_HEAD) }] : [r],
  );
}
/** A subnet frame's header and bus, in flow pixels (the rest of the frame is its nodes' or empty). */
const SUBNET_HEAD = 48;

const selectCorner =
  (rects: readonly Rect[]) =>
  (s: ReactFlowState): Corner | null | undefined =>
    s.width > 0 ? freeCorner(rects, s.transform, s.width, s.height) : undefined;

/**
 * The mini map where it covers nothing: the first free corner of the canvas,
 * or, when the drawing fills every corner, folded to a "Map" button that
 * shows it on demand (at the bottom right, until it is folded again).
 */
export function MiniMapPlaced({
  layout,
  onClick,
  nodeColor,
}: {
  layout: CanvasLayout;
  onClick: (e: ReactMouseEvent, p: XYPosition) => void;
  nodeColor: (n: Node) => string;
}) {
  const rects = useMemo(() => coveredRects(layout), [layout]);
  const corner = useStore(useCallback(selectCorner(rects), [rects]));
  const [asked, setAsked] = useState(false);
  if (corner === undefined) return null;
  const where: PanelPosition | null = corner ?? (asked ? 'bottom-right' : null);
  if (!where)
    return (
      <Panel position="bottom-right" className="cv-map-fold">
        <button
          type="button"
          className="btn cv-map-show"
          data-testid="minimap-show"
          aria-pressed={false}
          title="The drawing fills every corner: show the mini map over it"
          onClick={() => setAsked(true)}
        >
          Map
        </button>
      </Panel>
    );
  return (
    <>
      <MiniMap
        pannable
        zoomable
        position={where}
        onClick={onClick}
        ariaLabel="Mini map of the cluster"
        nodeColor={nodeColor}
        nodeStrokeWidth={2}
        style={{ width: MAP.width, height: MAP.height }}
        data-testid="minimap"
        data-corner={where}
      />
      {!corner && (
        <Panel position="bottom-right" className="cv-map-fold cv-map-over">
          <button
            type="button"
            className="btn cv-map-show"
            data-testid="minimap-show"
            aria-pressed={true}
            title="Fold the mini map"
            onClick={() => setAsked(false)}
          >
            Map
          </button>
        </Panel>
      )}
    </>
  );
}
