import { createStore, type StateCreator } from 'zustand/vanilla';
import { applyEdit, LESSONS, lessonById, type Edit, type Scenario } from '../engine/index';
import { networkOf, selectTrace } from './derived';
import type {
  AppState,
  LessonSlice,
  NoticeSlice,
  PlaybackSlice,
  ScenarioSlice,
  SelectionSlice,
  TerminalSlice,
} from './state';

/** Undo keeps this many steps. */
const HISTORY = 200;

/** After an edit, IPAM runs as the controllers would: allocations are stored once made. */
function settle(s: Scenario): Scenario {
  const b = networkOf(s);
  return b.ok ? b.network.scenario : s;
}

const touchesMode = (e: Edit) =>
  e.kind === 'setCluster' && ('datapath' in e.patch || 'ipam' in e.patch);

const scenarioSlice =
  (initial: Scenario): StateCreator<AppState, [], [], ScenarioSlice> =>
  (set, get) => {
    const commit = (edits: readonly Edit[]) => {
      const before = get().scenario;
      const after = settle(edits.reduce(applyEdit, before));
      if (after === before) return;
      const modeSwitch = edits.some(touchesMode);
      const sel = get().selection;
      const renamedNs = edits.find(
        (e): e is Extract<Edit, { kind: 'rename' }> => e.kind === 'rename',
      );
      const renamed = edits.find(
        (e) =>
          e.kind === 'rename' && sel && e.target.kind === sel.kind && e.target.name === sel.name,
      );
      set({
        ...(renamed?.kind === 'rename' && sel
          ? { selection: { kind: sel.kind, name: renamed.to } }
          : {}),
        // a terminal open on the renamed namespace follows it
        ...(renamedNs && get().terminal === renamedNs.target.name
          ? { terminal: renamedNs.to }
          : {}),
        scenario: after,
        past: [...get().past, before].slice(-HISTORY),
        future: [],
        // the route diff stays until the next edit that is not itself a mode switch
        ...(modeSwitch
          ? { modeBase: before, hop: 0, playing: get().play !== null }
          : { modeBase: null }),
      });
    };
    return {
      scenario: settle(initial),
      past: [],
      future: [],
      modeBase: null,
      apply: (edit) => commit([edit]),
      applyAll: (edits) => commit(edits),
      replace: (s) =>
        set({
          scenario: settle(s),
          past: [...get().past, get().scenario].slice(-HISTORY),
          future: [],
          modeBase: null,
          selection: null,
          play: null,
          hop: 0,
          playing: false,
        }),
      undo: () => {
        const past = get().past;
        const prev = past.at(-1);
        if (!prev) return;
        // undoing past the step's own scenario leaves the lesson: the panel would describe another cluster
        const lesson = get().lesson;
        if (lesson && past.length - 1 < lesson.depth) set({ lesson: null });
        set({ scenario: prev, past: past.slice(0, -1), future: [get().scenario, ...get().future] });
      },
      redo: () => {
        const [next, ...rest] = get().future;
        if (!next) return;
        set({ scenario: next, past: [...get().past, get().scenario], future: rest });
      },
      dismissModeDiff: () => set({ modeBase: null }),
    };
  };

const selectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selection: null,
  select: (selection) => set({ selection }),
});

const playbackSlice: StateCreator<AppState, [], [], PlaybackSlice> = (set, get) => ({
  play: null,
  hop: 0,
  playing: false,
  speed: 1.5,
  setPlay: (play, hop = 0) => set({ play, hop, playing: play !== null && hop === 0 }),
  setHop: (i) => set({ hop: Math.max(0, i), playing: false }),
  step: (delta) => {
    const last = Math.max(0, (selectTrace(get())?.hops.length ?? 1) - 1);
    set({ hop: Math.min(last, Math.max(0, get().hop + delta)), playing: false });
  },
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed: Math.min(8, Math.max(0.25, speed)) }),
});

const noticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set, get) => ({
  notices: [],
  notify: (n) => set({ notices: [...get().notices, n].slice(-5) }),
  dismiss: (i) => set({ notices: get().notices.filter((_, j) => j !== i) }),
});

const terminalSlice: StateCreator<AppState, [], [], TerminalSlice> = (set) => ({
  terminal: null,
  openTerminal: (terminal) => set({ terminal }),
  closeTerminal: () => set({ terminal: null }),
});

const lessonSlice: StateCreator<AppState, [], [], LessonSlice> = (set, get) => ({
  lesson: null,
  openLesson: (id, step = 0) => {
    const lesson = lessonById(id);
    const at = lesson?.steps[Math.min(Math.max(0, step), (lesson?.steps.length ?? 1) - 1)];
    if (!lesson || !at) {
      get().notify({
        kind: 'error',
        text: `There is no lesson "${id}": the lessons are ${LESSONS.map((l) => l.id).join(', ')}.`,
      });
      return;
    }
    const index = lesson.steps.indexOf(at);
    // the cluster the learner had before any lesson step, to give back on close
    const before = get().lesson?.before ?? get().scenario;
    get().replace(at.scenario());
    // a step with a prediction waits on hop 0 until the learner has answered
    set({
      lesson: { id, step: index, depth: get().past.length, before },
      selection: at.select ?? null,
      ...(at.play ? { play: at.play, hop: 0, playing: false } : {}),
    });
  },
  closeLesson: () => {
    const lesson = get().lesson;
    set({ lesson: null });
    // the learner gets back the cluster they had before the lesson (undoable, like any replace)
    if (lesson) get().replace(lesson.before);
  },
});

/** One store built from slices; tests make a fresh one each. */
export function createAppStore(initial: Scenario) {
  return createStore<AppState>()((...a) => ({
    ...scenarioSlice(initial)(...a),
    ...selectionSlice(...a),
    ...playbackSlice(...a),
    ...noticeSlice(...a),
    ...terminalSlice(...a),
    ...lessonSlice(...a),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
