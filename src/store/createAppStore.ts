import { createStore, type StateCreator } from 'zustand/vanilla';
import { applyEdit, LESSONS, lessonById, type Edit, type Scenario } from '../engine/index';
import { hopWithin, settled as settle } from './derived';
import { followRenames, renamesOf, reversed, switchesMode, type Rename } from './history';
import type {
  AppState,
  LessonSlice,
  NoticeSlice,
  PlaybackSlice,
  PolicySlice,
  ScenarioSlice,
  SelectionSlice,
  TerminalSlice,
} from './state';

/** Undo keeps this many steps. */
const HISTORY = 200;

const scenarioSlice =
  (initial: Scenario): StateCreator<AppState, [], [], ScenarioSlice> =>
  (set, get) => {
    /**
     * Moving through history: what pointed at a renamed object follows it back
     * or forth; a step that switched the datapath or IPAM shows its route diff
     * (undo shows the reverse one) and replays the packet on the new path.
     */
    const travel = (to: Scenario, renames: readonly Rename[]) => {
      const from = get().scenario;
      const mode = switchesMode(from, to);
      return {
        scenario: to,
        ...followRenames(get(), renames),
        ...(mode ? { modeBase: from, hop: 0, playing: get().play !== null } : { modeBase: null }),
      };
    };
    const commit = (edits: readonly Edit[]) => {
      const before = get().scenario;
      const after = settle(edits.reduce(applyEdit, before));
      if (after === before) return;
      const renames = renamesOf(edits);
      set({
        ...travel(after, renames),
        past: [...get().past, { scenario: before, renames }].slice(-HISTORY),
        future: [],
      });
    };
    return {
      scenario: settle(initial),
      past: [],
      future: [],
      modeBase: null,
      imported: 0,
      frameImported: () => set({ imported: get().imported + 1 }),
      apply: (edit) => commit([edit]),
      applyAll: (edits) => commit(edits),
      replace: (s) =>
        set({
          scenario: settle(s),
          past: [...get().past, { scenario: get().scenario, renames: [] }].slice(-HISTORY),
          future: [],
          modeBase: null,
          selection: null,
          policy: null,
          policyDraft: null,
          play: null,
          hop: 0,
          playing: false,
        }),
      undo: () => {
        const past = get().past;
        const prev = past.at(-1);
        if (!prev) return;
        // undo stays inside a lesson: past the step's own scenario the panel would describe another
        // cluster, so it stops there and says how to go further (closing gives the old cluster back)
        const lesson = get().lesson;
        if (lesson && past.length - 1 < lesson.depth) {
          get().notify({
            kind: 'info',
            text: 'Undo stays inside the lesson: this is how the step began. Close the lesson to get your own cluster back.',
          });
          return;
        }
        set({
          ...travel(prev.scenario, reversed(prev.renames)),
          past: past.slice(0, -1),
          future: [{ scenario: get().scenario, renames: prev.renames }, ...get().future],
        });
      },
      redo: () => {
        const [next, ...rest] = get().future;
        if (!next) return;
        set({
          ...travel(next.scenario, next.renames),
          past: [...get().past, { scenario: get().scenario, renames: next.renames }],
          future: rest,
        });
      },
      dismissModeDiff: () => set({ modeBase: null }),
    };
  };

const selectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set) => ({
  selection: null,
  link: null,
  select: (selection) => set({ selection, link: null, policy: null }),
  selectLink: (link) => set({ link, ...(link ? { selection: null, policy: null } : {}) }),
});

const DEFAULT_MATRIX = { protocol: 'TCP', port: 80, namespaces: [] } as const;

const policySlice: StateCreator<AppState, [], [], PolicySlice> = (set, get) => ({
  policy: null,
  policyDraft: null,
  matrix: null,
  // a policy is picked as an object is: the canvas selection and a picked edge let go
  selectPolicy: (policy) =>
    set({
      policy,
      ...(policy !== null ? { selection: null, link: null } : {}),
      ...(policy !== get().policy ? { policyDraft: null } : {}),
    }),
  setPolicyDraft: (policyDraft) => set({ policyDraft }),
  openMatrix: (patch = {}) => set({ matrix: { ...DEFAULT_MATRIX, ...get().matrix, ...patch } }),
  closeMatrix: () => set({ matrix: null }),
});

const playbackSlice: StateCreator<AppState, [], [], PlaybackSlice> = (set, get) => ({
  play: null,
  hop: 0,
  playing: false,
  speed: 1.5,
  setPlay: (play, hop = 0) => {
    // a link may ask for a hop past the end (hop 99999): it opens on the last one
    const at = hopWithin({ ...get(), play }, hop);
    set({ play, hop: at, playing: play !== null && at === 0 });
  },
  setHop: (i) => set({ hop: hopWithin(get(), i), playing: false }),
  step: (delta) => set({ hop: hopWithin(get(), get().hop + delta), playing: false }),
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed: Math.min(8, Math.max(0.25, speed)) }),
});

const noticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set, get) => ({
  notices: [],
  // the same message again (a key held down, a second undo at a lesson's start) does not pile up
  notify: (n) => set({ notices: [...get().notices.filter((x) => x.text !== n.text), n].slice(-5) }),
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
    ...policySlice(...a),
    ...playbackSlice(...a),
    ...noticeSlice(...a),
    ...terminalSlice(...a),
    ...lessonSlice(...a),
  }));
}

export type AppStore = ReturnType<typeof createAppStore>;
