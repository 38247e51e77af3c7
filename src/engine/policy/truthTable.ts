/**
 * The reachability matrix in the shape Kubernetes' NetworkPolicy e2e suite
 * prints it (test/e2e/network/netpol/truthtable.go, TruthTable.PrettyPrint):
 * a header `-` then every destination `namespace/pod`, tab-separated, then one
 * line per source with `.` where it connects and `X` where it is blocked.
 * Reachability is reachability.go's: egress allowed at the source AND ingress
 * allowed at the destination.
 */
import { allows, type PolicyEngine, type Traffic } from './evaluate';
import type { PolicyPod } from './world';

export interface TruthTable {
  readonly froms: readonly string[];
  readonly tos: readonly string[];
  /** values[i][j]: froms[i] reaches tos[j] */
  readonly values: readonly (readonly boolean[])[];
}

/**
 * Every pod (with an IP: a pod without a sandbox has no network) against every
 * pod, or the pods given, in their order.
 */
export function reachabilityTable(
  engine: PolicyEngine,
  traffic: Traffic,
  pods: readonly PolicyPod[] = engine.world.pods.filter((p) => p.ip !== undefined),
): TruthTable {
  const values = pods.map((from) =>
    pods.map(
      (to) =>
        allows(engine, from, 'egress', { kind: 'pod', pod: to }, traffic) &&
        allows(engine, to, 'ingress', { kind: 'pod', pod: from }, traffic),
    ),
  );
  const keys = pods.map((p) => p.key);
  return { froms: keys, tos: keys, values };
}

export function truthTableValue(t: TruthTable, from: string, to: string): boolean | undefined {
  const i = t.froms.indexOf(from);
  const j = t.tos.indexOf(to);
  return i < 0 || j < 0 ? undefined : t.values[i]![j];
}

/** TruthTable.PrettyPrint(indent) */
export function printTruthTable(t: TruthTable, indent = ''): string {
  const lines = [indent + ['-', ...t.tos].join('\t')];
  t.froms.forEach((from, i) => {
    const marks = t.tos.map((_, j) => {
      const v = t.values[i]?.[j];
      return v === undefined ? '?' : v ? '.' : 'X';
    });
    lines.push(indent + [from, ...marks].join('\t'));
  });
  return lines.join('\n');
}
