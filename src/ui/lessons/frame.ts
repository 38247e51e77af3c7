import type { Viewport } from '@xyflow/react';
import type { LessonStep, Scenario } from '../../engine/index';
import { flowId, type CanvasLayout, type Rect } from '../canvas/layout';
import { boundsOf, FIT_PAD, MAX_FIT_ZOOM, type Size } from '../canvas/viewport';

/**
 * The smallest zoom a step's frame takes. A step is about how a few objects
 * stand to each other (a node behind a router, two subnets): it shows them
 * whole, smaller than a free view would (READABLE_ZOOM), and the zoom buttons
 * are a click away.
 */
export const LESSON_MIN_ZOOM = 0.5;

/** The names a step talks about: its own list, else its namespace, the packet's source and the pod it goes to. */
export function framedNames(step: LessonStep, scenario: Scenario): readonly string[] {
  if (step.frame) return step.frame;
  const names: string[] = [];
  if (step.select) names.push(step.select.name);
  if (step.play) {
    names.push(step.play.from);
    const to = scenario.pods.find((p) => p.ip === step.play?.dst);
    if (to) names.push(to.name);
  }
  return names;
}

/** The drawn rectangles of those names (a node, pod, router or subnet of that name). */
export function framedRects(layout: CanvasLayout, names: readonly string[]): Rect[] {
  return names.flatMap((n) => {
    const r = [flowId.node, flowId.pod, flowId.router, flowId.subnet]
      .map((id) => layout.rects.get(id(n)))
      .find((x) => x !== undefined);
    return r ? [r] : [];
  });
}

/** The view showing `rects` whole and centred, at life size at most and LESSON_MIN_ZOOM at least. */
export function frameView(rects: readonly Rect[], size: Size): Viewport | undefined {
  const b = boundsOf(rects);
  if (!b || size.width <= 0 || size.height <= 0) return undefined;
  const room = (px: number) => Math.max(1, px - 2 * FIT_PAD);
  const zoom = Math.max(
    LESSON_MIN_ZOOM,
    Math.min(
      MAX_FIT_ZOOM,
      room(size.width) / Math.max(1, b.w),
      room(size.height) / Math.max(1, b.h),
    ),
  );
  // centred across; from the top when it is taller than the canvas (its headers first)
  const y =
    b.h * zoom <= room(size.height)
      ? size.height / 2 - (b.y + b.h / 2) * zoom
      : FIT_PAD - b.y * zoom;
  return { x: size.width / 2 - (b.x + b.w / 2) * zoom, y, zoom };
}
