import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeLink, example, type Scenario } from '../../src/engine/index';
import { createAppStore } from '../../src/store/createAppStore';
import { selectTrace } from '../../src/store/derived';
import {
  AUTOSAVE_KEY,
  linkFor,
  persist,
  shareUrl,
  startup,
  URL_WRITE_MS,
} from '../../src/store/persistence';

/** Just enough of a browser window for persist(): an address bar, history, storage and timers. */
function fakeWindow(hash = '') {
  const url = new URL(`https://podhop.test/${hash}`);
  const saved = new Map<string, string>();
  const writes: string[] = [];
  const win = {
    location: {
      get hash() {
        return url.hash;
      },
      get href() {
        return url.href;
      },
    },
    history: {
      replaceState: (_: unknown, __: string, to: string | URL) => {
        const next = new URL(String(to), url);
        url.hash = next.hash;
        url.search = next.search;
        writes.push(url.hash);
      },
    },
    localStorage: {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
    },
    addEventListener: () => {},
    removeEventListener: () => {},
    setTimeout: (f: () => void, ms: number) => setTimeout(f, ms),
    clearTimeout: (t: number) => clearTimeout(t),
  };
  return { win: win as unknown as Window, writes, saved, url };
}

const hopIn = (hash: string) => {
  const r = decodeLink(hash);
  return r.ok ? r.value.play?.hop : undefined;
};
const scenarioIn = (hash: string): Scenario | undefined => {
  const r = decodeLink(hash);
  return r.ok ? r.value.scenario : undefined;
};
const ping = { from: 'pod1a', dst: '172.17.2.2', protocol: 'icmp' as const };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the address bar holds the link to what is on screen', () => {
  it('from the start: a page opened on its autosave gets the autosaved scenario’s link', () => {
    const mine = example('seed', { datapath: 'direct' });
    const storage = { getItem: () => JSON.stringify(mine) } as unknown as Storage;
    const start = startup('', storage);
    const store = createAppStore(start.scenario);
    const { win, url } = fakeWindow();
    persist(store, win);
    expect(scenarioIn(url.hash)?.cluster.datapath).toBe('direct');
  });

  it('from the start: a broken link is replaced by the seed’s link it fell back to', () => {
    const start = startup('#v1.garbage', undefined);
    expect(start.notice?.kind).toBe('error');
    const store = createAppStore(start.scenario);
    const { win, url } = fakeWindow('#v1.garbage');
    persist(store, win);
    expect(url.hash).toBe(`#${linkFor(store.getState().scenario, null, 0)}`);
  });

  it('the link to share is built from the store, whatever the address bar holds', () => {
    const store = createAppStore(example('seed'));
    store.getState().apply({ kind: 'setCluster', patch: { datapath: 'gateway' } });
    store.getState().setPlay(ping, 2);
    const link = shareUrl(store.getState(), {
      origin: 'https://podhop.test',
      pathname: '/',
      search: '',
    });
    expect(link.startsWith('https://podhop.test/#v2.')).toBe(true);
    const hash = link.slice(link.indexOf('#'));
    expect(scenarioIn(hash)?.cluster.datapath).toBe('gateway');
    expect(hopIn(hash)).toBe(2);
  });

  it('a packet played to the end leaves its last hop in the URL, without a write per hop', () => {
    const store = createAppStore(example('seed'));
    const { win, writes, url } = fakeWindow();
    persist(store, win);
    store.getState().setPlay(ping);
    vi.advanceTimersByTime(URL_WRITE_MS);
    const before = writes.length;
    const last = selectTrace(store.getState())!.hops.length - 1;
    // what the playback timer does: one hop at a time while playing, then stop on the last
    for (let i = 1; i <= last; i++) {
      store.setState({ hop: i });
      vi.advanceTimersByTime(100);
    }
    expect(writes.length).toBe(before);
    store.getState().setPlaying(false);
    vi.advanceTimersByTime(URL_WRITE_MS);
    expect(hopIn(url.hash)).toBe(last);
    expect(writes.length).toBe(before + 1);
  });

  it('a pause mid-way leaves that hop; stepping fast writes at most once per interval', () => {
    const store = createAppStore(example('seed'));
    const { win, writes, url } = fakeWindow();
    persist(store, win);
    store.getState().setPlay(ping);
    store.setState({ hop: 3 });
    store.getState().setPlaying(false);
    vi.advanceTimersByTime(URL_WRITE_MS);
    expect(hopIn(url.hash)).toBe(3);
    const before = writes.length;
    for (const h of [4, 5, 4, 3, 2]) store.getState().setHop(h);
    expect(writes.length).toBeLessThanOrEqual(before + 1);
    vi.advanceTimersByTime(URL_WRITE_MS);
    expect(hopIn(url.hash)).toBe(2);
    expect(writes.length).toBeLessThanOrEqual(before + 2);
  });

  it('an edit is saved for the next visit and written to the URL', () => {
    const store = createAppStore(example('seed'));
    const { win, saved, url } = fakeWindow();
    persist(store, win);
    store.getState().apply({ kind: 'setCluster', patch: { datapath: 'direct' } });
    vi.advanceTimersByTime(URL_WRITE_MS);
    expect(JSON.parse(saved.get(AUTOSAVE_KEY)!).cluster.datapath).toBe('direct');
    expect(scenarioIn(url.hash)?.cluster.datapath).toBe('direct');
  });
});

/** A Storage over a Map, as the browser's localStorage and sessionStorage behave. */
function memoryStorage(entries: Record<string, string> = {}): Storage {
  const m = new Map(Object.entries(entries));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    clear: () => m.clear(),
    key: (i: number) => [...m.keys()][i] ?? null,
    get length() {
      return m.size;
    },
  };
}

/** The seed with node2 moved to an address outside its subnet: it does not build as it is. */
const invalidCluster = (): Scenario => {
  const seed = example('seed');
  return {
    ...seed,
    nodes: seed.nodes.map((n) => (n.name === 'node2' ? { ...n, ip: '10.100.9.9' } : n)),
  };
};

describe('nothing the user made is lost', () => {
  it('a link to an invalid scenario opens as it is, its problems on the objects, no seed', () => {
    const mine = invalidCluster();
    const start = startup(`#${linkFor(mine, null, 0)}`, undefined);
    expect(start.scenario).toEqual(mine);
    expect(start.notice).toBeUndefined();
  });

  it('the plain URL reopens an invalid autosave as it is', () => {
    const mine = invalidCluster();
    const start = startup('', memoryStorage({ [AUTOSAVE_KEY]: JSON.stringify(mine) }));
    expect(start.scenario).toEqual(mine);
  });

  it('an unreadable link opens the seed and offers the autosaved cluster back', () => {
    const mine = example('xsubnet');
    const start = startup('#v1.garbage', memoryStorage({ [AUTOSAVE_KEY]: JSON.stringify(mine) }));
    expect(start.scenario).toEqual(example('seed'));
    expect(start.notice?.text).toMatch(/could not be opened/);
    expect(start.notice?.action?.label).toBe('Your last cluster — open it');
    expect(start.notice?.action?.scenario).toEqual(mine);
  });

  it('a reload on a link this tab wrote reopens the tab’s newest work, even a write behind', () => {
    const session = memoryStorage();
    const { win, url } = fakeWindow();
    Object.assign(win, { sessionStorage: session });
    const store = createAppStore(example('seed'));
    persist(store, win);
    const opened = url.hash;
    store.getState().apply({ kind: 'rename', target: { kind: 'node', name: 'node2' }, to: 'w2' });
    // within the throttle window: the address bar still holds the link before the rename
    store.getState().apply({ kind: 'updateNode', name: 'w2', patch: { ip: '10.100.9.9' } });
    const start = startup(opened, undefined, session);
    expect(start.scenario.nodes.map((n) => [n.name, n.ip])).toContainEqual(['w2', '10.100.9.9']);
  });

  it('a link from elsewhere pasted into the tab opens that link, not the tab’s work', () => {
    const session = memoryStorage();
    const { win } = fakeWindow();
    Object.assign(win, { sessionStorage: session });
    persist(createAppStore(example('seed')), win);
    const other = example('xsubnet');
    expect(startup(`#${linkFor(other, null, 0)}`, undefined, session).scenario).toEqual(other);
  });
});
