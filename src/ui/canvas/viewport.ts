import type { Viewport, XYPosition } from '@xyflow/react';
import type { Rect } from './layout';

/**
 * Where the canvas looks. A fit that shrinks the drawing until it all shows
 * makes its 11px text unreadable as soon as a cluster is much wider than the
 * canvas, so a fit stops at a readable zoom; past it the view is set at a
 * comfortable zoom and the learner pans (the view starts at the drawing's top
 * left, or on the selection). Only a drawing many screens
 * large (a generated cluster) is shown whole, as an overview.
 */

/** Screen pixels kept free around a fitted drawing. */
export const FIT_PAD = 16;
/**
 * The smallest zoom a fit chooses: the canvas's 11px text stays about 8px on
 * screen, small but legible, which is what lets the seed cluster open whole
 * beside both side panels on a laptop screen.
 */
export const READABLE_ZOOM = 0.7;
/** A drawing too large to fit readably is shown at this zoom, panned: text about 10px. */
export const PAN_ZOOM = 0.9;
/** A fit never enlarges past life size. */
export const MAX_FIT_ZOOM = 1;
/** Beyond this many screens (in its tighter direction) a drawing is fitted whole instead. */
const OVERVIEW_SCREENS = 3;

export type Size = { readonly width: number; readonly height: number };

/** The rectangle holding all of them. */
export function boundsOf(rects: Iterable<Rect>): Rect | undefined {
  let b: { x0: number; y0: number; x1: number; y1: number } | undefined;
  for (const r of rects) {
    b = b
      ? {
          x0: Math.min(b.x0, r.x),
          y0: Math.min(b.y0, r.y),
          x1: Math.max(b.x1, r.x + r.w),
          y1: Math.max(b.y1, r.y + r.h),
        }
      : { x0: r.x, y0: r.y, x1: r.x + r.w, y1: r.y + r.h };
  }
  return b && { x: b.x0, y: b.y0, w: b.x1 - b.x0, h: b.y1 - b.y0 };
}

/** The zoom that shows all of `bounds` in `size` (never past life size). */
function wholeZoom(bounds: Rect, size: Size): number {
  const room = (px: number) => Math.max(1, px - 2 * FIT_PAD);
  return Math.min(
    room(size.width) / Math.max(1, bounds.w),
    room(size.height) / Math.max(1, bounds.h),
    MAX_FIT_ZOOM,
  );
}

/** The zoom a fit of `bounds` into `size` uses (see above). */
export function fitZoom(bounds: Rect, size: Size): number {
  const whole = wholeZoom(bounds, size);
  if (whole >= READABLE_ZOOM) return whole;
  return whole * OVERVIEW_SCREENS >= READABLE_ZOOM ? PAN_ZOOM : whole;
}

/**
 * One axis of the view: the translation that places the drawing on a screen
 * `screen` px long at `zoom`. A drawing that fits is centred (`center`) or
 * starts at the padded edge (`start`: no empty band above the routers). One
 * that does not fit shows its start (the frames' headers, the first node: the
 * rest is a pan away) a padding in from the edge, so its frame does not run
 * into the panel beside the canvas, moved just enough to keep the focus in view.
 */
function axisTranslate(
  start: number,
  len: number,
  screen: number,
  zoom: number,
  fits: 'center' | 'start',
  focus?: { start: number; len: number },
): number {
  const padded = Math.max(1, screen - 2 * FIT_PAD) / zoom;
  if (len <= padded) {
    const at = fits === 'center' ? start - (padded - len) / 2 : start;
    return FIT_PAD - at * zoom;
  }
  const visible = screen / zoom;
  let at = start;
  if (focus)
    at =
      focus.len >= visible
        ? focus.start
        : Math.min(Math.max(at, focus.start + focus.len - visible), focus.start);
  at = Math.min(Math.max(at, start), start + len - visible);
  // shown from its start, the drawing keeps the padding there: its frame's edge is not the panel's border
  return (at <= start ? FIT_PAD : 0) - at * zoom;
}

/** The viewport showing `bounds` in a canvas of `size`, keeping `focus` (if any) in view. */
export function viewFor(bounds: Rect, size: Size, focus?: Rect): Viewport {
  return viewAt(bounds, size, fitZoom(bounds, size), focus);
}

/**
 * What Fit view asks for: the whole drawing if it fits at a readable zoom,
 * else the readable zoom itself, on the focus (the packet, the selection) —
 * never an overview whose text nobody can read (issue 13).
 */
export function readableFit(bounds: Rect, size: Size, focus?: Rect): Viewport {
  return viewAt(bounds, size, Math.max(wholeZoom(bounds, size), READABLE_ZOOM), focus);
}

function viewAt(bounds: Rect, size: Size, zoom: number, focus?: Rect): Viewport {
  return {
    x: axisTranslate(
      bounds.x,
      bounds.w,
      size.width,
      zoom,
      'center',
      focus && { start: focus.x, len: focus.w },
    ),
    y: axisTranslate(
      bounds.y,
      bounds.h,
      size.height,
      zoom,
      'start',
      focus && { start: focus.y, len: focus.h },
    ),
    zoom,
  };
}

/** Screen pixels a point the view follows keeps from each edge (the controls, the drop banner). */
export const FOLLOW_MARGIN = { left: 64, right: 48, top: 40, bottom: 110 } as const;

/** Once the view has to pan, the point lands this far into the canvas: room for what it goes to next. */
const FOLLOW_INTO = 0.3;

/**
 * A pan that brings a flow point inside the view's margins (a third of the way
 * in from the edge it was beyond), or undefined when it is in view already (or
 * the canvas is too small to say).
 */
export function panToShow(view: Viewport, size: Size, p: XYPosition): Viewport | undefined {
  const m = FOLLOW_MARGIN;
  if (size.width < m.left + m.right + 20 || size.height < m.top + m.bottom + 20) return undefined;
  const shift = (at: number, lo: number, hi: number, screen: number) => {
    if (at < lo) return Math.max(lo, screen * FOLLOW_INTO) - at;
    if (at > screen - hi) return Math.min(screen - hi, screen * (1 - FOLLOW_INTO)) - at;
    return 0;
  };
  const dx = shift(p.x * view.zoom + view.x, m.left, m.right, size.width);
  const dy = shift(p.y * view.zoom + view.y, m.top, m.bottom, size.height);
  if (dx === 0 && dy === 0) return undefined;
  return { x: view.x + dx, y: view.y + dy, zoom: view.zoom };
}
