import {
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
/**
 * This tab's own work (sessionStorage survives a reload, not a new tab): the
 * newest scenario and a digest of every link this page wrote to its address
 * bar. A reload opens the address the bar held when it started, which may be
 * a write or two behind (the writes are throttled; a field committed as the
 * page goes away lands after it): a link this tab wrote itself reopens the
 * tab's newest scenario instead, so nothing made here is lost.
 */
export const SESSION_KEY = 'podhop.session.v1';
const SESSION_LINKS = 64;

export interface Startup {
  readonly scenario: Scenario;
  readonly play?: LinkedPlay;
  readonly notice?: Notice;
}

interface SessionRecord {
  readonly scenario: unknown;
  readonly links: readonly string[];
}

/** FNV-1a over the link: the record keeps digests, so a big cluster's links do not fill the quota. */
export function linkDigest(hash: string): string {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${text.length.toString(36)}.${h.toString(36)}`;
}

/** A stored scenario through the file pipeline; one the loader refuses is not offered. */
function stored(json: unknown): Scenario | undefined {
  const r = loadScenarioDocument(json);
  return r.ok ? r.value : undefined;
}

function readJson(storage: Storage | undefined, key: string): unknown {
  try {
    const text = storage?.getItem(key);
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function fromSession(session: Storage | undefined, hash: string): Scenario | undefined {
  const rec = readJson(session, SESSION_KEY) as Partial<SessionRecord> | undefined;
  if (!rec || !Array.isArray(rec.links) || !rec.links.includes(linkDigest(hash))) return undefined;
  return stored(rec.scenario);
}

const sameScenario = (a: Scenario, b: Scenario) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What the page opens on. A link opens its scenario as it is, problems and all
 * (they show on the objects); a link this tab wrote reopens the tab's newest
 * work; only a link that cannot be read falls back to the seed, offering the
 * autosaved cluster back. Without a link: the autosave (valid or not), else the seed.
 */
export function startup(
  hash: string,
  storage: Storage | undefined,
  session?: Storage | undefined,
): Startup {
  const autosaved = stored(readJson(storage, AUTOSAVE_KEY));
  if (hash && hash !== '#') {
    const r = decodeLink(hash);
    const mine = fromSession(session, hash);
    if (r.ok) {
      const play = r.value.play ? { play: r.value.play } : {};
      return { scenario: mine ?? r.value.scenario, ...play };
    }
    if (mine) return { scenario: mine };
    const seed = example('seed');
    const offer =
      autosaved && !sameScenario(autosaved, seed)
        ? { action: { label: 'Your last cluster — open it', scenario: autosaved } }
        : {};
    return {
      scenario: seed,
      notice: {
        kind: 'error',
        text: `This link could not be opened, so the seed cluster opened instead: ${r.error.text}`,
        ...offer,
      },
    };
  }
  return { scenario: autosaved ?? example('seed') };
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

/** A link opened in a tab that already shows podhop (only the fragment changed): load it like a fresh page. */
export function openLink(store: AppStore, hash: string, storage?: Storage): void {
  const start = startup(hash, storage);
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
  const links = lastHash && lastHash !== '#' ? [linkDigest(lastHash)] : [];
  const saveSession = () => {
    try {
      const rec: SessionRecord = { scenario: store.getState().scenario, links };
      win.sessionStorage.setItem(SESSION_KEY, JSON.stringify(rec));
    } catch {
      // no session storage: the address bar and the autosave still hold the work
    }
  };
  const writeHash = () => {
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
    lastWrite = Date.now();
    const hash = `#${linkOf(store.getState())}`;
    if (hash === lastHash) return;
    lastHash = hash;
    links.push(linkDigest(hash));
    if (links.length > SESSION_LINKS) links.splice(0, links.length - SESSION_LINKS);
    win.history.replaceState(null, '', hash);
    saveSession();
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
    let local: Storage | undefined;
    try {
      local = win.localStorage;
    } catch {
      local = undefined;
    }
    openLink(store, win.location.hash, local);
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
      saveSession();
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
