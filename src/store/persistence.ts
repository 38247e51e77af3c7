import {
  buildNetwork,
  parseScenarioJson,
  decodeLink,
  encodeLink,
  example,
  loadScenarioDocument,
  type LinkedPlay,
  type Scenario,
} from '../engine/index';
import type { AppStore } from './createAppStore';
import type { Notice, PlayRequest } from './state';

export const AUTOSAVE_KEY = 'podhop.scenario.v1';

export interface Startup {
  readonly scenario: Scenario;
  readonly play?: LinkedPlay;
  readonly notice?: Notice;
}

function fromAutosave(storage: Storage | undefined): Scenario | undefined {
  try {
    const text = storage?.getItem(AUTOSAVE_KEY);
    if (!text) return undefined;
    const r = loadScenarioDocument(JSON.parse(text));
    return r.ok && buildNetwork(r.value).ok ? r.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the page opens on: the link's scenario if the URL carries one (a broken
 * link opens the seed with a message), else the autosaved one, else the seed.
 */
export function startup(hash: string, storage: Storage | undefined): Startup {
  if (hash && hash !== '#') {
    const r = decodeLink(hash);
    if (r.ok) {
      const built = buildNetwork(r.value.scenario);
      if (built.ok)
        return { scenario: r.value.scenario, ...(r.value.play ? { play: r.value.play } : {}) };
      return {
        scenario: example('seed'),
        notice: {
          kind: 'error',
          text: `This link's scenario is not valid, so the seed cluster opened instead: ${built.problems[0]?.text ?? ''}`,
        },
      };
    }
    return {
      scenario: example('seed'),
      notice: {
        kind: 'error',
        text: `This link could not be opened, so the seed cluster opened instead: ${r.error.text}`,
      },
    };
  }
  return { scenario: fromAutosave(storage) ?? example('seed') };
}

export function linkFor(scenario: Scenario, play: PlayRequest | null, hop: number): string {
  return encodeLink({
    scenario,
    ...(play
      ? {
          play: {
            from: play.from,
            dst: play.dst,
            protocol: play.protocol,
            ...(play.dport !== undefined ? { dport: play.dport } : {}),
            hop,
          },
        }
      : {}),
  });
}

/** A scenario file the user picked: load pipeline → build check → replace, or the loader's own words. */
export function importScenario(store: AppStore, text: string, fileName: string): void {
  const st = store.getState();
  const r = parseScenarioJson(text);
  if (!r.ok) {
    st.notify({ kind: 'error', text: `${fileName}: ${r.error.text}` });
    return;
  }
  const built = buildNetwork(r.value);
  if (!built.ok) {
    const first = built.problems[0];
    st.notify({
      kind: 'error',
      text: `${fileName}: the scenario is not valid: ${first ? `${first.object}: ${first.text}` : ''}`,
    });
    return;
  }
  st.replace(r.value);
  st.notify({ kind: 'info', text: `Opened ${fileName}` });
}

/** A link opened in a tab that already shows podhop (only the fragment changed): load it like a fresh page. */
export function openLink(store: AppStore, hash: string): void {
  const start = startup(hash, undefined);
  const st = store.getState();
  st.replace(start.scenario);
  if (start.play) st.setPlay(start.play, start.play.hop ?? 0);
  if (start.notice) st.notify(start.notice);
}

/** Keeps the URL and the autosave in step with the store. Returns the unsubscribe. */
export function persist(store: AppStore, win: Window): () => void {
  let lastHash = win.location.hash;
  // replaceState never fires hashchange, so this hears only links the user pasted or followed
  const onHashChange = () => {
    if (win.location.hash === lastHash) return;
    lastHash = win.location.hash;
    openLink(store, win.location.hash);
  };
  win.addEventListener('hashchange', onHashChange);
  const unsubscribe = store.subscribe((st, prev) => {
    if (st.lesson !== prev.lesson) {
      // the lesson and its step live in the query, so a reload reopens it and a closed one stays closed
      const url = new URL(win.location.href);
      if (st.lesson) {
        url.searchParams.set('lesson', st.lesson.id);
        url.searchParams.set('step', String(st.lesson.step + 1));
      } else {
        url.searchParams.delete('lesson');
        url.searchParams.delete('step');
      }
      win.history.replaceState(null, '', url);
    }
    if (st.scenario !== prev.scenario) {
      try {
        win.localStorage.setItem(AUTOSAVE_KEY, JSON.stringify(st.scenario));
      } catch {
        // private mode or a full quota: the URL still carries the scenario
      }
    }
    if (
      st.scenario !== prev.scenario ||
      st.play !== prev.play ||
      (st.hop !== prev.hop && !st.playing)
    ) {
      const hash = `#${linkFor(st.scenario, st.play, st.hop)}`;
      if (hash !== lastHash) {
        lastHash = hash;
        win.history.replaceState(null, '', hash);
      }
    }
  });
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}
