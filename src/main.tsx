import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppStore } from './store/createAppStore';
import { persist, startup } from './store/persistence';
import { App } from './ui/App';
import { StoreProvider } from './ui/storeContext';
import '@xyflow/react/dist/style.css';
import './ui/styles/app.css';

const root = document.getElementById('root');
if (!root) throw new Error('podhop: #root is missing from index.html');

// either store may be unreachable (a sandboxed frame, storage disabled): the link still works
const reach = (get: () => Storage): Storage | undefined => {
  try {
    return get();
  } catch {
    return undefined;
  }
};
const start = startup(
  window.location.hash,
  reach(() => window.localStorage),
  reach(() => window.sessionStorage),
);
const store = createAppStore(start.scenario);
if (start.play) store.getState().setPlay(start.play, start.play.hop ?? 0);
if (start.notice) store.getState().notify(start.notice);
// `?lesson=cross-node&step=2` opens a lesson (steps count from 1 in the URL)
const params = new URLSearchParams(window.location.search);
const lessonId = params.get('lesson');
if (lessonId) {
  const step = Number(params.get('step') ?? '1');
  store.getState().openLesson(lessonId, Number.isInteger(step) && step >= 1 ? step - 1 : 0);
}
persist(store, window);

// read-only hook for the e2e tests and the curious: the state, never a way to change it
Object.defineProperty(window, '__podhop', {
  value: Object.freeze({ getState: () => store.getState() }),
});

createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
