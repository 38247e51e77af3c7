/**
 * `kubectl get networkpolicy` and `kubectl describe networkpolicy` on a node: the policies
 * the API server stores (a refused one never reached it, so it is not listed), in etcd key
 * order, with kubectl's columns (pkg/printers/internalversion printNetworkPolicy: NAME,
 * POD-SELECTOR, AGE) and its describer's text.
 */
import { DEFAULT_NAMESPACE } from '../scenario/ids';
import { byKey, table, type PodScope } from '../print/kubectl';
import { clusterPoliciesOf, describeNetworkPolicy, formatSelector } from '../policy/index';
import type { NetworkPolicy } from '../policy/index';
import type { Network } from '../network/types';
import type { ShellResult } from './session';

/** what kubectl takes for the resource: its name, plural, short name and group-qualified form */
export const NETWORK_POLICY_RESOURCES: ReadonlySet<string> = new Set([
  'networkpolicy',
  'networkpolicies',
  'netpol',
  'networkpolicy.networking.k8s.io',
  'networkpolicies.networking.k8s.io',
]);

function stored(net: Network, scope: PodScope): NetworkPolicy[] {
  return byKey(
    clusterPoliciesOf(net.scenario).policies.filter(
      (p) => scope === 'all' || p.namespace === scope.namespace,
    ),
  );
}

const noneFound = (scope: PodScope) =>
  scope === 'all' ? 'No resources found' : `No resources found in ${scope.namespace} namespace.`;

const notFound = (name: string): ShellResult => ({
  output: `Error from server (NotFound): networkpolicies.networking.k8s.io "${name}" not found`,
  status: 1,
});

/** `kubectl get networkpolicy [NAME] [-n NS | -A]`; AGE `<unknown>`: the playground has no clock */
export function getNetworkPolicies(
  net: Network,
  scope: PodScope,
  name: string | undefined,
): ShellResult {
  const all = scope === 'all';
  const listed = stored(net, scope).filter((p) => name === undefined || p.name === name);
  if (name !== undefined && listed.length === 0) return notFound(name);
  if (listed.length === 0) return { output: noneFound(scope) };
  const head = ['NAME', 'POD-SELECTOR', 'AGE'];
  const rows = [all ? ['NAMESPACE', ...head] : head];
  for (const p of listed) {
    const row = [p.name, formatSelector(p.podSelector), '<unknown>'];
    rows.push(all ? [p.namespace, ...row] : row);
  }
  return { output: table(rows) };
}

/**
 * `kubectl describe networkpolicy [NAME] [-n NS | -A]`: one policy, or every one in scope,
 * each as the describer prints it, separated by a blank line as `kubectl describe` does.
 */
export function describeNetworkPolicies(
  net: Network,
  scope: PodScope,
  name: string | undefined,
): ShellResult {
  const ns = scope === 'all' ? DEFAULT_NAMESPACE : scope.namespace;
  const listed =
    name === undefined
      ? stored(net, scope)
      : stored(net, { namespace: ns }).filter((p) => p.name === name);
  if (name !== undefined && listed.length === 0) return notFound(name);
  if (listed.length === 0) return { output: noneFound(scope) };
  return { output: listed.map((p) => describeNetworkPolicy(p).trimEnd()).join('\n\n\n') };
}
