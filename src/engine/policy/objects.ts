/**
 * NetworkPolicy objects as a user hands them in (pasted YAML or JSON, one or many, a List):
 * the NetworkPolicies kept verbatim — an invalid one too, to be marked and fixed, as nothing
 * the user made is lost — and everything else named and left out.
 */
import { DEFAULT_NAMESPACE } from '../scenario/ids';

type Raw = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The fields the API server writes for its own bookkeeping, dropped as an import drops them
 * (kube/networkPolicies.ts): a policy copied from `kubectl get -o yaml` pastes clean.
 */
const SERVER_FIELDS: ReadonlySet<string> = new Set([
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
]);

/** `x/deny-all` (namespace default when left out, as kubectl apply fills it), or `networkPolicies[3]` without a name. */
export function policyObjectRef(o: unknown, index: number): string {
  const meta = isObj(o) && isObj(o['metadata']) ? o['metadata'] : {};
  const name = meta['name'];
  const ns = meta['namespace'];
  if (typeof name !== 'string' || name === '') return `networkPolicies[${index}]`;
  return `${typeof ns === 'string' && ns !== '' ? ns : DEFAULT_NAMESPACE}/${name}`;
}

export interface PastedPolicies {
  /** the NetworkPolicy objects, plain data, in the order given */
  readonly policies: readonly Record<string, unknown>[];
  /** what was left out, one line each: `ignored: Pod web (not a NetworkPolicy)` */
  readonly ignored: readonly string[];
}

function verbatim(o: Raw): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'status') continue;
    if (k === 'metadata' && isObj(v)) {
      const meta: Record<string, unknown> = {};
      for (const [mk, mv] of Object.entries(v)) if (!SERVER_FIELDS.has(mk)) meta[mk] = mv;
      out[k] = meta;
    } else out[k] = v;
  }
  // plain objects all the way down, whatever prototype the parser gave them
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

/** Objects as parsed text gave them (a List's items already spread): the NetworkPolicies among them. */
export function networkPoliciesIn(objects: readonly unknown[]): PastedPolicies {
  const policies: Record<string, unknown>[] = [];
  const ignored: string[] = [];
  objects.forEach((o, i) => {
    if (!isObj(o)) {
      ignored.push(`ignored: document ${i + 1} is no object`);
      return;
    }
    const kind = o['kind'];
    // a policy under another API group (Calico's projectcalico.org/v3) is kept: its
    // apiVersion is what the API server refuses, in its words, on the object
    if (kind === 'NetworkPolicy') policies.push(verbatim(o));
    else {
      const meta = isObj(o['metadata']) ? o['metadata'] : {};
      const name = typeof meta['name'] === 'string' ? ` ${meta['name']}` : '';
      ignored.push(
        `ignored: ${typeof kind === 'string' ? kind : 'an object without kind'}${name} (not a NetworkPolicy)`,
      );
    }
  });
  return { policies, ignored };
}
