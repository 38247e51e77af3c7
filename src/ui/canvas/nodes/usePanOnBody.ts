import { useReactFlow } from '@xyflow/react';
import { useCallback, type PointerEvent } from 'react';

/** Pointer travel (px) after which a press on a frame is a pan, not a click. */
const CLICK_SLOP = 3;

/**
 * A frame (subnet, node) moves by its header; pressing on its body pans the
 * canvas, as on the empty pane. React Flow blocks panning over any draggable
 * node, and a subnet can fill the whole view, so the frame pans it itself.
 */
export function usePanOnBody() {
  const { getViewport, setViewport } = useReactFlow();
  return useCallback(
    (e: PointerEvent<HTMLElement>) => {
      if (e.button !== 0) return;
      if (e.target instanceof Element && e.target.closest('.cv-drag, .react-flow__handle')) return;
      const el = e.currentTarget;
      const start = { x: e.clientX, y: e.clientY };
      const view = getViewport();
      let moved = false;
      const onMove = (m: globalThis.PointerEvent) => {
        const dx = m.clientX - start.x;
        const dy = m.clientY - start.y;
        if (!moved && Math.hypot(dx, dy) < CLICK_SLOP) return;
        moved = true;
        void setViewport({ x: view.x + dx, y: view.y + dy, zoom: view.zoom });
      };
      const onUp = () => {
        el.removeEventListener('pointermove', onMove);
        el.removeEventListener('pointerup', onUp);
        el.removeEventListener('pointercancel', onUp);
        // a pan is not a click: keep it from selecting the frame
        if (moved)
          window.addEventListener('click', (c) => c.stopPropagation(), {
            capture: true,
            once: true,
          });
      };
      el.setPointerCapture(e.pointerId);
      el.addEventListener('pointermove', onMove);
      el.addEventListener('pointerup', onUp);
      el.addEventListener('pointercancel', onUp);
    },
    [getViewport, setViewport],
  );
}
