import {
  buildNetwork,
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

/** Keeps the URL and the autosave in step with the store. Returns the unsubscribe. */
export function persist(store: AppStore, win: Window): () => void {
  let lastHash = '';
  return store.subscribe((st, prev) => {
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
}
