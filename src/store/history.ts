import {
  clusterCni,
  objectKey,
  parsePodRef,
  podRef,
  type Edit,
  type ObjectKind,
  type Scenario,
} from '../engine/index';
import type { AppState, PlayRequest, Selection } from './state';

/** A rename an undo step made: what points at the old name follows it, both ways. */
export interface Rename {
  readonly kind: ObjectKind;
  readonly from: string;
  readonly to: string;
}

/**
 * One step of the undo history: the scenario on the other side of the step,
 * and the renames that lead from the older scenario to the newer one (kept so
 * that undo and redo can move the selection, the terminal and the packet).
 */
export interface HistoryEntry {
  readonly scenario: Scenario;
  readonly renames: readonly Rename[];
}

export const renamesOf = (edits: readonly Edit[]): Rename[] =>
  edits.flatMap((e) =>
    e.kind === 'rename' && e.to !== e.target.name
      ? [
          {
            kind: e.target.kind,
            from: e.target.name,
            to: renamedRef(e.target.kind, e.target.name, e.to),
          },
        ]
      : [],
  );

/** A pod or Service renamed keeps its namespace: `x/web` renamed to `api` is `x/api`. */
function renamedRef(kind: ObjectKind, from: string, to: string): string {
  if (kind !== 'pod' && kind !== 'service') return to;
  const ref = parsePodRef(from);
  return ref ? podRef({ namespace: ref.namespace, name: to }) : to;
}

/** The renames of a step walked backwards (for undo). */
export const reversed = (renames: readonly Rename[]): Rename[] =>
  [...renames].reverse().map((r) => ({ kind: r.kind, from: r.to, to: r.from }));

/** Subnets and services are not network namespaces: no terminal or packet starts in one. */
const isNamespace = (k: ObjectKind) => k === 'pod' || k === 'node' || k === 'router';

/**
 * What follows a rename: the selection, a terminal open on the namespace and
 * the packet it sends (as `ip netns` would keep a handle open across a rename
 * of its label, the user's view keeps pointing at the same object).
 */
export function followRenames(
  st: Pick<AppState, 'selection' | 'terminal' | 'play'>,
  renames: readonly Rename[],
): Partial<Pick<AppState, 'selection' | 'terminal' | 'play'>> {
  if (renames.length === 0) return {};
  let selection: Selection = st.selection;
  let terminal = st.terminal;
  let play: PlayRequest | null = st.play;
  for (const r of renames) {
    if (selection && selection.kind === r.kind && selection.name === r.from)
      selection = { kind: r.kind, name: r.to };
    const key = (ref: string) => (r.kind === 'service' ? objectKey('service', ref) : ref);
    if (play && play.to === key(r.from) && (isNamespace(r.kind) || r.kind === 'service'))
      play = { ...play, to: key(r.to) };
    if (!isNamespace(r.kind)) continue;
    if (terminal === r.from) terminal = r.to;
    if (play && play.from === r.from) play = { ...play, from: r.to };
  }
  return {
    ...(selection !== st.selection ? { selection } : {}),
    ...(terminal !== st.terminal ? { terminal } : {}),
    ...(play !== st.play ? { play } : {}),
  };
}

/** A step that switched the datapath or the IPAM plugin (the route diff describes it). */
export const switchesMode = (a: Scenario, b: Scenario) =>
  clusterCni(a.cluster) !== clusterCni(b.cluster) ||
  a.cluster.datapath !== b.cluster.datapath ||
  a.cluster.ipam !== b.cluster.ipam;
