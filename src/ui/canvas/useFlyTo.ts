import { useEffect } from 'react';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import type { ObjectKind } from '../../engine/index';
import { flowId, type CanvasLayout } from './layout';
import { PAN_ZOOM } from './viewport';
import { reducedMotion } from '../motion';

const FLY = 'podhop:fly';

/** Ask the canvas to bring an object to the middle of the view (Find's pick). */
export const flyTo = (kind: ObjectKind, name: string) =>
  window.dispatchEvent(new CustomEvent(FLY, { detail: flowId[kind](name) }));

/**
 * The canvas flies to what Find picked: centred, at a zoom whose text is
 * legible (the current one if it is already closer), however far away it was.
 */
export function useFlyTo(layout: CanvasLayout) {
  const { setViewport } = useReactFlow();
  const flowStore = useStoreApi();
  useEffect(() => {
    const onFly = (e: Event) => {
      const r = layout.rects.get((e as CustomEvent<string>).detail);
      const { width, height, transform } = flowStore.getState();
      if (!r || width === 0 || height === 0) return;
      const zoom = Math.max(transform[2], PAN_ZOOM);
      void setViewport(
        { x: width / 2 - (r.x + r.w / 2) * zoom, y: height / 2 - (r.y + r.h / 2) * zoom, zoom },
        { duration: reducedMotion() ? 0 : 400 },
      );
    };
    window.addEventListener(FLY, onFly);
    return () => window.removeEventListener(FLY, onFly);
  }, [layout, flowStore, setViewport]);
}
