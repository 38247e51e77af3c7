import { lazy, Suspense, useEffect } from 'react';
import { selectTrace } from '../store/derived';
import { ClusterCanvas } from './canvas/ClusterCanvas';
import { HopList } from './panels/HopList';
import { Inspector } from './panels/Inspector';
import { Notices } from './panels/Notices';
import { Palette } from './panels/Palette';
import { ProbePanel } from './panels/ProbePanel';
import { Toolbar } from './panels/Toolbar';
import { useApp, useAppStore } from './storeContext';
import { useKeyboard } from './useKeyboard';
import { HopAnnouncer } from './panels/HopAnnouncer';
import { LessonPanel } from './lessons/LessonPanel';
import { TerminalDock } from './terminal/TerminalDock';
import { FileDrop } from './files/FileDrop';
import { usePasteImport } from './files/usePasteImport';

// the reachability matrix loads when first opened: the first paint never pays for it
const MatrixDock = lazy(() =>
  import('./panels/policy/MatrixDock').then((m) => ({ default: m.MatrixDock })),
);

/** Advances the hop while playing, at the user's speed; stops on the last hop. */
function usePlayback() {
  const store = useAppStore();
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const st = store.getState();
      const last = (selectTrace(st)?.hops.length ?? 0) - 1;
      if (st.hop >= last) st.setPlaying(false);
      else store.setState({ hop: st.hop + 1 });
    }, 1000 / speed);
    return () => clearInterval(timer);
  }, [playing, speed, store]);
}

export function App() {
  usePlayback();
  useKeyboard();
  usePasteImport();
  const matrixOpen = useApp((s) => s.matrix !== null);
  return (
    <div className="app">
      <Toolbar />
      <Notices />
      <main className="workspace">
        <aside className="side side-left" aria-label="Send a packet">
          <LessonPanel />
          <Palette />
          <ProbePanel />
          <HopList />
        </aside>
        <section className="canvas-area" aria-label="Cluster">
          <ClusterCanvas />
          {matrixOpen && (
            <Suspense fallback={null}>
              <MatrixDock />
            </Suspense>
          )}
          <TerminalDock />
        </section>
        <aside className="side side-right" aria-label="Inspector">
          <Inspector />
        </aside>
      </main>
      <HopAnnouncer />
      <FileDrop />
    </div>
  );
}
