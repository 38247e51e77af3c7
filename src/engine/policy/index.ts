/**
 * NetworkPolicy (networking.k8s.io/v1): the objects as the API server accepts
 * them, the verdict for one connection with the rule that decided it, the
 * e2e suite's reachability matrix, and `kubectl describe networkpolicy`.
 *
 *   const cp = clusterPolicies(network.scenario);   // refused objects in cp.refused
 *   egressVerdict(cp.engine, fromPod, endpoint(cp.world, dstIp)!, { protocol: 'TCP', port: 80 })
 *   printTruthTable(reachabilityTable(cp.engine, { protocol: 'TCP', port: 80 }))
 */
import { loadNetworkPolicies, type PolicyEntry, type PolicyRefusal } from './parse';
import { policyEngine, type PolicyEngine } from './evaluate';
import { policyWorld, type PolicyScenario, type PolicyWorld } from './world';
import type { NetworkPolicy } from './types';

export * from './types';
export { parseNetworkPolicy, loadNetworkPolicies, NETWORK_POLICY_API_VERSION } from './parse';
export type { PolicyRefusal, RefusalKind, LoadedPolicies, PolicyEntry } from './parse';
export type { FieldError, FieldErrorType } from './fieldError';
export { selectorMatches, formatSelector } from './selector';
export {
  policyEngine,
  ingressVerdict,
  egressVerdict,
  connectivity,
  endpoint,
  allows,
  trafficText,
} from './evaluate';
export type {
  Connectivity,
  Direction,
  Endpoint,
  PolicyEngine,
  Traffic,
  TrafficProtocol,
  Verdict,
} from './evaluate';
export { reachabilityTable, printTruthTable, truthTableValue, type TruthTable } from './truthTable';
export { describeNetworkPolicy, type DescribeOptions } from './describe';
export {
  policyWorld,
  NAMESPACE_NAME_LABEL,
  type PolicyPod,
  type PolicyScenario,
  type PolicyWorld,
  type NamedPort,
} from './world';

export interface ClusterPolicies {
  readonly world: PolicyWorld;
  /** the policies the API server would store */
  readonly policies: readonly NetworkPolicy[];
  /** the ones it would refuse, in kubectl's words; they are not applied */
  readonly refused: readonly PolicyRefusal[];
  /** every object of the scenario's list, at its index, stored or refused */
  readonly entries: readonly PolicyEntry[];
  readonly engine: PolicyEngine;
}

/** A scenario's policies read and applied to its pods (a built Network's `scenario` has their IPs). */
export function clusterPolicies(s: PolicyScenario): ClusterPolicies {
  const world = policyWorld(s);
  const { policies, refused, entries } = loadNetworkPolicies(
    s.networkPolicies ?? [],
    new Set(world.namespaceLabels.keys()),
  );
  return { world, policies, refused, entries, engine: policyEngine(world, policies) };
}

const memo = new WeakMap<PolicyScenario, ClusterPolicies>();

/** clusterPolicies, once per scenario value (a scenario is never changed, only replaced). */
export function clusterPoliciesOf(s: PolicyScenario): ClusterPolicies {
  let cp = memo.get(s);
  if (!cp) memo.set(s, (cp = clusterPolicies(s)));
  return cp;
}

export { policyObjectRef, networkPoliciesIn, type PastedPolicies } from './objects';
export { unenforcedDenials, unenforcedText, type Denial } from './unenforced';
