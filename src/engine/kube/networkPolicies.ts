/**
 * NetworkPolicies are kept verbatim for the NetworkPolicy work, minus the fields the API
 * server writes for its own bookkeeping (metadata.managedFields, resourceVersion, uid,
 * creationTimestamp: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/).
 */
import { isObj, type Obj } from './fields';

export const NETWORK_POLICY_API = 'networking.k8s.io/v1';
const SERVER_FIELDS: ReadonlySet<string> = new Set([
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
]);

export function verbatimPolicy(policy: Obj): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(policy)) {
    const v = policy[key];
    if (key === 'metadata' && isObj(v)) {
      const metadata: Record<string, unknown> = {};
      for (const k of Object.keys(v)) if (!SERVER_FIELDS.has(k)) metadata[k] = v[k];
      out[key] = metadata;
    } else out[key] = v;
  }
  // plain objects all the way down (parseKubeText hands out null-prototype ones)
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}
