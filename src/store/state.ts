import type { Edit, ObjectRef, Problem, ProbeProtocol, Scenario } from '../engine/index';
import type { HistoryEntry } from './history';

/** What a user selected: a scenario object, to inspect and edit. */
export type Selection = ObjectRef | null;

/** The packet the user asked for; its trace is derived, never stored. */
export interface PlayRequest {
  readonly from: string;
  readonly dst: string;
  /**
   * What the user picked as the destination (a pod or node name, `service/<name>`),
   * when it was not a typed address: the packet goes to its address as it is
   * now, so a pod renumbered by an IPAM switch is still the one pinged.
   */
  readonly to?: string;
  readonly protocol: ProbeProtocol | 'traceroute';
  readonly dport?: number;
  readonly ttl?: number;
}

/** A message for the user (a broken link, an import that failed). */
export interface Notice {
  readonly kind: 'error' | 'info';
  readonly text: string;
  /** what it says in detail, one line each (what an import inferred and left out) */
  readonly lines?: readonly string[];
  /** a way back: the autosaved cluster a broken link pushed aside */
  readonly action?: { readonly label: string; readonly scenario: Scenario };
}

export interface ScenarioSlice {
  /** as edited, with every allocation IPAM could make written in */
  readonly scenario: Scenario;
  /** older steps, the last one nearest; each holds the scenario before the step */
  readonly past: readonly HistoryEntry[];
  /** undone steps, the next one first; each holds the scenario after the step */
  readonly future: readonly HistoryEntry[];
  /** the scenario before the last datapath/IPAM switch, for the route diff */
  readonly modeBase: Scenario | null;
  apply(edit: Edit): void;
  /** several edits as one undo step (a drag, a form) */
  applyAll(edits: readonly Edit[]): void;
  /** a new scenario from a link, a file or an example (undoable) */
  replace(s: Scenario): void;
  /** counts the clusters opened whole (an import, an example, the autosave given back): the canvas frames each anew */
  readonly imported: number;
  /** the scenario on screen came from outside: the view is to frame it */
  frameImported(): void;
  undo(): void;
  redo(): void;
  dismissModeDiff(): void;
}

/** A router's link to a subnet (its ethN), picked on the canvas to be removed. */
export interface LinkRef {
  readonly router: string;
  readonly subnet: string;
}

export interface SelectionSlice {
  readonly selection: Selection;
  /** a picked router↔subnet edge; selecting an object drops it */
  readonly link: LinkRef | null;
  select(s: Selection): void;
  selectLink(l: LinkRef | null): void;
}

export interface PlaybackSlice {
  readonly play: PlayRequest | null;
  /** index into the trace's hops (for traceroute: into the concatenated probes) */
  readonly hop: number;
  readonly playing: boolean;
  /** hops per second */
  readonly speed: number;
  setPlay(p: PlayRequest | null, hop?: number): void;
  setHop(i: number): void;
  step(delta: number): void;
  setPlaying(on: boolean): void;
  setSpeed(hopsPerSecond: number): void;
}

export interface NoticeSlice {
  readonly notices: readonly Notice[];
  notify(n: Notice): void;
  dismiss(i: number): void;
}

/** A terminal open on one namespace (its shell session lives with the terminal component). */
export interface TerminalSlice {
  readonly terminal: string | null;
  openTerminal(namespace: string): void;
  closeTerminal(): void;
}

/** What the reachability matrix asks: traffic on one protocol and port, among some namespaces. */
export interface MatrixSettings {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | 'ICMP';
  readonly port: number;
  /** the namespaces whose pods are shown; empty: every pod */
  readonly namespaces: readonly string[];
}

/**
 * The NetworkPolicy the user picked (by its index in scenario.networkPolicies), a changed
 * policy held as a what-if before it is applied, and the reachability matrix.
 */
export interface PolicySlice {
  readonly policy: number | null;
  /** a policy object that would replace (or, at the list's length, join) the scenario's, not applied yet */
  readonly policyDraft: {
    readonly index: number;
    readonly object: Readonly<Record<string, unknown>>;
  } | null;
  /** the matrix view, when open */
  readonly matrix: MatrixSettings | null;
  selectPolicy(index: number | null): void;
  setPolicyDraft(draft: PolicySlice['policyDraft']): void;
  openMatrix(patch?: Partial<MatrixSettings>): void;
  closeMatrix(): void;
}

/** The lesson being followed, and its step. */
export interface LessonSlice {
  /** `depth`: the undo history's length when the step opened; undoing past it leaves the lesson */
  readonly lesson: {
    readonly id: string;
    readonly step: number;
    readonly depth: number;
    readonly before: Scenario;
  } | null;
  /** opens a lesson step: its scenario replaces the canvas (undoable), its namespace is selected */
  openLesson(id: string, step?: number): void;
  closeLesson(): void;
}

export type AppState = ScenarioSlice &
  SelectionSlice &
  PolicySlice &
  PlaybackSlice &
  NoticeSlice &
  TerminalSlice &
  LessonSlice;
export type { Problem };
