import {
  lazy,
  Suspense,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type RefObject,
} from 'react';
import { useApp, useAppStore } from '../storeContext';
import type { AppState } from '../../store/state';
import '../styles/terminal.css';

const XtermPane = lazy(() => import('./XtermPane'));

const selectTerminal = (s: AppState) => s.terminal;

const MIN_HEIGHT = 200;
/** room left for the canvas above the dock */
const CANVAS_ROOM = 80;

/**
 * The height the dock shows and the most it may take, in pixels, as its
 * separator announces them (a focusable separator is a splitter: WAI-ARIA
 * requires its value). Measured, since the CSS default (40%) and the window
 * decide them too.
 */
function useShownHeight(dockRef: RefObject<HTMLElement | null>, open: boolean) {
  const [shown, setShown] = useState({ now: MIN_HEIGHT, max: MIN_HEIGHT });
  useEffect(() => {
    const dock = dockRef.current;
    if (!open || !dock || typeof ResizeObserver !== 'function') return;
    const measure = () => {
      const now = Math.round(dock.getBoundingClientRect().height);
      const room = (dock.parentElement?.clientHeight ?? now + CANVAS_ROOM) - CANVAS_ROOM;
      setShown({ now, max: Math.max(MIN_HEIGHT, now, Math.round(room)) });
    };
    const watch = new ResizeObserver(measure);
    watch.observe(dock);
    if (dock.parentElement) watch.observe(dock.parentElement);
    return () => watch.disconnect();
  }, [dockRef, open]);
  return shown;
}

/** Height drag on the dock's top edge (pointer or arrow keys); null keeps the CSS default (40%). */
function useDockHeight() {
  const [height, setHeight] = useState<number | null>(null);
  const dockRef = useRef<HTMLElement>(null);
  const clamp = (h: number) => {
    const room = (dockRef.current?.parentElement?.clientHeight ?? h + CANVAS_ROOM) - CANVAS_ROOM;
    return Math.round(Math.max(MIN_HEIGHT, Math.min(room, h)));
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const dock = dockRef.current;
    if (!dock) return;
    e.preventDefault();
    const startY = e.clientY;
    const startH = dock.getBoundingClientRect().height;
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => setHeight(clamp(startH + startY - ev.clientY));
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowUp' ? 24 : e.key === 'ArrowDown' ? -24 : 0;
    if (!step) return;
    // arrows here resize the dock, they do not step hops
    e.preventDefault();
    e.stopPropagation();
    setHeight(clamp((dockRef.current?.getBoundingClientRect().height ?? MIN_HEIGHT) + step));
  };
  return { height, dockRef, onPointerDown, onKeyDown };
}

/** A terminal docked under the canvas, on the namespace the store names (kubectl exec / ssh). */
export function TerminalDock() {
  const store = useAppStore();
  const namespace = useApp(selectTerminal);
  const { height, dockRef, onPointerDown, onKeyDown } = useDockHeight();
  const shown = useShownHeight(dockRef, namespace !== null);
  if (!namespace) return null;
  return (
    <section
      className="terminal-dock"
      aria-label={`Terminal on ${namespace}`}
      ref={dockRef}
      style={height === null ? undefined : { height }}
    >
      <div
        className="terminal-resize"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize terminal"
        aria-valuemin={MIN_HEIGHT}
        aria-valuemax={shown.max}
        aria-valuenow={shown.now}
        aria-valuetext={`${shown.now} pixels high`}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onKeyDown={onKeyDown}
      />
      <header className="terminal-head">
        <h2 className="terminal-title" data-testid="terminal-title">
          root@{namespace} — terminal
        </h2>
        <button
          type="button"
          className="btn icon ghost"
          aria-label="Close terminal"
          data-testid="terminal-close"
          onClick={() => store.getState().closeTerminal()}
        >
          ×
        </button>
      </header>
      <Suspense fallback={<p className="terminal-loading muted">Starting the shell…</p>}>
        <XtermPane namespace={namespace} />
      </Suspense>
    </section>
  );
}
