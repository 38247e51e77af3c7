import { useReactFlow, useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useEffect } from 'react';
import { layoutOf } from '../canvas/layout';
import { selectCanvasModel } from '../canvas/selectors';
import { useApp, useAppStore } from '../storeContext';
import { framedNames, framedRects, frameView } from './frame';
import { openStep } from './selectors';
import type { AppState } from '../../store/state';

const selectSized = (s: ReactFlowState) => !!s.panZoom && s.width > 0 && s.height > 0;
const selectLessonKey = (s: AppState) => (s.lesson ? `${s.lesson.id}/${s.lesson.step}` : null);

/**
 * When a lesson step opens, the canvas frames what the step talks about (drawn
 * inside the canvas, for React Flow's viewport; it draws nothing itself). It
 * runs after the canvas's own view of a newly loaded cluster, and wins.
 */
export function LessonFrame() {
  const key = useApp(selectLessonKey);
  const sized = useStore(selectSized);
  const store = useAppStore();
  const flowStore = useStoreApi();
  const { setViewport } = useReactFlow();
  useEffect(() => {
    if (!key || !sized) return;
    const t = setTimeout(() => {
      const st = store.getState();
      const open = openStep(st.lesson);
      if (!open) return;
      const layout = layoutOf(selectCanvasModel(st));
      const { width, height } = flowStore.getState();
      const view = frameView(framedRects(layout, framedNames(open.step, st.scenario)), {
        width,
        height,
      });
      const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
      if (view) void setViewport(view, { duration: still ? 0 : 300 });
    }, 80);
    return () => clearTimeout(t);
  }, [key, sized, store, flowStore, setViewport]);
  return null;
}
