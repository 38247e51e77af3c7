import {
  buildNetwork,
  buildProblems,
  parseScenarioJson,
  decodeLink,
  encodeLink,
  example,
  loadScenarioDocument,
  type LinkedPlay,
  type Scenario,
} from '../engine/index';
import type { AppStore } from './createAppStore';
import { selectShownHop } from './derived';
import type { AppState, Notice, PlayRequest } from './state';

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
      // a link opens only a scenario with nothing to refuse: a refused object may be hostile
      const problems = buildProblems(buildNetwork(r.value.scenario));
      if (problems.length === 0)
        return { scenario: r.value.scenario, ...(r.value.play ? { play: r.value.play } : {}) };
      return {
        scenario: example('seed'),
        notice: {
          kind: 'error',
          text: `This link's scenario is not valid, so the seed cluster opened instead: ${problems[0]?.text ?? ''}`,
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
            ...(play.to !== undefined ? { to: play.to } : {}),
            protocol: play.protocol,
            ...(play.dport !== undefined ? { dport: play.dport } : {}),
            hop,
          },
        }
      : {}),
  });
}

/** The link fragment (without `#`) to what is on screen: the scenario, the packet and its hop. */
export const linkOf = (st: AppState): string => linkFor(st.scenario, st.play, selectShownHop(st));

/**
 * The address to share: this page (with its lesson query, if any) and the
 * current scenario in the fragment. Built from the store, never read back
 * from the address bar, which may lag behind or hold the link that opened.
 */
export function shareUrl(st: AppState, page: Pick<Location, 'origin' | 'pathname' | 'search'>) {
  return `${page.origin}${page.pathname}${page.search}#${linkOf(st)}`;
}

/** The address bar is written at most once in this many milliseconds (first and last write kept). */
export const URL_WRITE_MS = 250;

/** A scenario file the user picked: load pipeline → build check → replace, or the loader's own words. */
export function importScenario(store: AppStore, text: string, fileName: string): void {
  const st = store.getState();
  const r = parseScenarioJson(text);
  if (!r.ok) {
    st.notify({ kind: 'error', text: `${fileName}: ${r.error.text}` });
    return;
  }
  const problems = buildProblems(buildNetwork(r.value));
  if (problems.length > 0) {
    const first = problems[0];
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

/**
 * Keeps the URL and the autosave in step with the store. The address bar
 * always holds the link to what is on screen: from the start (an autosave, or
 * the seed a broken link fell back to), after each edit, and whenever the
 * packet stands still on a hop (not at every hop while it plays). Returns the
 * unsubscribe.
 */
export function persist(store: AppStore, win: Window): () => void {
  let lastHash = win.location.hash;
  let lastWrite = -Infinity;
  let timer: number | undefined;
  const writeHash = () => {
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
    lastWrite = Date.now();
    const hash = `#${linkOf(store.getState())}`;
    if (hash === lastHash) return;
    lastHash = hash;
    win.history.replaceState(null, '', hash);
  };
  // stepping through hops with a held arrow key must not flood the history API (browsers throttle it)
  const scheduleHash = () => {
    if (timer !== undefined) return;
    const wait = lastWrite + URL_WRITE_MS - Date.now();
    if (wait <= 0) writeHash();
    else timer = win.setTimeout(writeHash, wait);
  };
  const flush = () => {
    if (timer !== undefined) writeHash();
  };
  writeHash();
  // replaceState never fires hashchange, so this hears only links the user pasted or followed
  const onHashChange = () => {
    if (win.location.hash === lastHash) return;
    lastHash = win.location.hash;
    openLink(store, win.location.hash);
  };
  win.addEventListener('hashchange', onHashChange);
  win.addEventListener('pagehide', flush);
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
    const stopped = !st.playing && (prev.playing || st.hop !== prev.hop);
    if (st.scenario !== prev.scenario || st.play !== prev.play || stopped) scheduleHash();
  });
  return () => {
    flush();
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
    win.removeEventListener('pagehide', flush);
  };
}
