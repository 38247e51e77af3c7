/**
 * NetworkPolicy, derived: the scenario's policies read and applied (memoised on the
 * scenario), the picked one, the pods it selects, the policies isolating a pod, and the
 * reachability matrix with the cells a change turned. Nothing here is stored.
 */
import {
  applyEdit,
  clusterPoliciesOf,
  parsePodRef,
  reachabilityTable,
  type ClusterPolicies,
  type PolicyEntry,
  type PolicyPod,
  type Scenario,
  type Traffic,
  type TruthTable,
} from '../engine/index';
import { networkOf, selectNetwork } from './derived';
import type { AppState, MatrixSettings } from './state';

/** The scenario policies read against: the built one (its pods carry their IPs), else as edited. */
const allocated = (s: Scenario): Scenario => {
  const b = networkOf(s);
  return b.ok ? b.network.scenario : s;
};

export const policiesOf = (s: Scenario): ClusterPolicies => clusterPoliciesOf(allocated(s));

export const selectPolicies = (st: AppState): ClusterPolicies =>
  clusterPoliciesOf(selectNetwork(st)?.scenario ?? st.scenario);

/** The picked policy's object and what the API server made of it, while it exists. */
export function selectPickedPolicy(
  st: AppState,
): { readonly object: Readonly<Record<string, unknown>>; readonly entry: PolicyEntry } | undefined {
  const i = st.policy;
  const object = i === null ? undefined : st.scenario.networkPolicies?.[i];
  const entry = i === null ? undefined : selectPolicies(st).entries[i];
  return object && entry ? { object, entry } : undefined;
}

/** `x/web` and `pod1a` (a pod's printed ref) as the policy world's key, `default/pod1a`. */
export function policyKey(ref: string): string {
  const r = parsePodRef(ref);
  return r ? `${r.namespace}/${r.name}` : ref;
}

const selectedSets = new WeakMap<ClusterPolicies, Map<number, ReadonlySet<string>>>();
const NONE: ReadonlySet<string> = new Set();

/** The pods (world keys) the picked policy selects: none when nothing is picked or it was refused. */
export function selectPolicySelects(st: AppState): ReadonlySet<string> {
  if (st.policy === null) return NONE;
  const cp = selectPolicies(st);
  let byIndex = selectedSets.get(cp);
  if (!byIndex) selectedSets.set(cp, (byIndex = new Map()));
  let set = byIndex.get(st.policy);
  if (!set) {
    const e = cp.entries[st.policy];
    set = e?.ok ? new Set(cp.engine.selected(e.policy).map((p) => p.key)) : NONE;
    byIndex.set(st.policy, set);
  }
  return set;
}

export interface PodIsolation {
  readonly ingress: readonly { readonly ref: string; readonly index: number }[];
  readonly egress: readonly { readonly ref: string; readonly index: number }[];
}

/** The policies isolating a pod for ingress and for egress, each with its index to pick it by. */
export function podIsolation(cp: ClusterPolicies, podRef: string): PodIsolation | undefined {
  const pod = cp.world.pod(policyKey(podRef));
  if (!pod) return undefined;
  const indexOf = new Map(cp.entries.flatMap((e) => (e.ok ? [[e.policy, e.index]] : [])));
  const list = (d: 'ingress' | 'egress') =>
    cp.engine.isolating(pod, d).map((p) => ({
      ref: `${p.namespace}/${p.name}`,
      index: indexOf.get(p) ?? -1,
    }));
  return { ingress: list('ingress'), egress: list('egress') };
}

// ---- the matrix ----

/** Past this many pods the grid shows the first ones and says so (choose namespaces for others). */
export const MATRIX_POD_LIMIT = 60;

export interface Matrix {
  readonly table: TruthTable;
  /** the pods on the grid, in its order */
  readonly pods: readonly PolicyPod[];
  /** pods of the chosen namespaces with an IP (the grid may show fewer: MATRIX_POD_LIMIT) */
  readonly total: number;
  /** cells a change turns, `from\tto`: the what-if against the cluster, else the last edit */
  readonly changed: ReadonlySet<string>;
  /** what the changed cells compare: a what-if not applied, or the last edit */
  readonly changedBy: 'draft' | 'lastEdit' | null;
  readonly namespaces: readonly string[];
}

export const trafficOf = (m: MatrixSettings): Traffic =>
  m.protocol === 'ICMP' ? { protocol: 'ICMP' } : { protocol: m.protocol, port: m.port };

function podsFor(cp: ClusterPolicies, m: MatrixSettings): PolicyPod[] {
  return cp.world.pods.filter(
    (p) => p.ip !== undefined && (m.namespaces.length === 0 || m.namespaces.includes(p.namespace)),
  );
}

const tables = new WeakMap<ClusterPolicies, Map<string, TruthTable>>();

/** The truth table for these pods, memoised on the policies and the question asked. */
function tableOf(cp: ClusterPolicies, pods: readonly PolicyPod[], m: MatrixSettings): TruthTable {
  const key = JSON.stringify([m.protocol, m.port, pods.map((p) => p.key)]);
  let byKey = tables.get(cp);
  if (!byKey) tables.set(cp, (byKey = new Map()));
  let t = byKey.get(key);
  if (!t) byKey.set(key, (t = reachabilityTable(cp.engine, trafficOf(m), pods)));
  return t;
}

function changedCells(before: TruthTable, after: TruthTable): Set<string> {
  const out = new Set<string>();
  after.froms.forEach((from, i) => {
    after.tos.forEach((to, j) => {
      const bi = before.froms.indexOf(from);
      const bj = before.tos.indexOf(to);
      if (bi < 0 || bj < 0) return;
      if (before.values[bi]![bj] !== after.values[i]![j]) out.add(`${from}\t${to}`);
    });
  });
  return out;
}

/** The scenario with the what-if policy in place (what the matrix compares against). */
export function draftScenario(st: AppState): Scenario | undefined {
  const d = st.policyDraft;
  if (!d) return undefined;
  return applyEdit(st.scenario, { kind: 'setNetworkPolicy', index: d.index, object: d.object });
}

const drafts = new WeakMap<Scenario, { draft: object; scenario: Scenario }>();

let last: { readonly inputs: readonly unknown[]; readonly matrix: Matrix | undefined } | undefined;

/** The matrix on screen, the same object while nothing it reads from changed. */
export function selectMatrix(st: AppState): Matrix | undefined {
  const inputs = [selectPolicies(st), st.matrix, st.policyDraft, st.past.at(-1)?.scenario];
  if (last && last.inputs.every((x, i) => x === inputs[i])) return last.matrix;
  const matrix = computeMatrix(st);
  last = { inputs, matrix };
  return matrix;
}

function computeMatrix(st: AppState): Matrix | undefined {
  const m = st.matrix;
  if (!m) return undefined;
  const cp = selectPolicies(st);
  const namespaces = [...cp.world.namespaceLabels.keys()].sort();
  const all = podsFor(cp, m);
  const pods = all.slice(0, MATRIX_POD_LIMIT);
  const table = tableOf(cp, pods, m);
  let other: ClusterPolicies | undefined;
  let changedBy: Matrix['changedBy'] = null;
  if (st.policyDraft) {
    let hit = drafts.get(st.scenario);
    if (!hit || hit.draft !== st.policyDraft) {
      hit = { draft: st.policyDraft, scenario: draftScenario(st)! };
      drafts.set(st.scenario, hit);
    }
    other = policiesOf(hit.scenario);
    changedBy = 'draft';
  } else {
    const prev = st.past.at(-1)?.scenario;
    if (prev) {
      other = policiesOf(prev);
      changedBy = 'lastEdit';
    }
  }
  let changed: ReadonlySet<string> = NONE;
  if (other) {
    const otherPods = podsFor(other, m).filter((p) => pods.some((q) => q.key === p.key));
    const o = tableOf(other, otherPods, m);
    changed = st.policyDraft ? changedCells(table, o) : changedCells(o, table);
  }
  return {
    table,
    pods,
    total: all.length,
    changed,
    changedBy: changed.size ? changedBy : null,
    namespaces,
  };
}
