/**
 * NetworkPolicies as text, in and out of the store: pasted YAML or JSON (one policy, several
 * documents, a List) added as `kubectl apply` would — a policy with the namespace/name of one
 * already there replaces it, any other joins the list — in one undo step. JSON is read at
 * once; YAML waits for the Kubernetes reader, loaded on the first YAML paste only, so the
 * first paint never pays for it.
 */
import { networkPoliciesIn, policyObjectRef, type Edit } from '../engine/index';
import type { AppStore } from './createAppStore';

export type PolicyTextResult =
  | {
      readonly ok: true;
      readonly objects: readonly Record<string, unknown>[];
      readonly ignored: readonly string[];
    }
  | { readonly ok: false; readonly text: string };

/** Text to the NetworkPolicy objects it holds, or why it holds none. */
export async function policiesFromText(text: string): Promise<PolicyTextResult> {
  if (text.trim() === '') return { ok: false, text: 'there is nothing to add (empty)' };
  let objects: unknown[];
  try {
    const { parseKubeText } = await import('../engine/kube/parse');
    const r = parseKubeText(text);
    if (!r.ok) return { ok: false, text: r.error.text };
    objects = r.value;
  } catch (e) {
    return { ok: false, text: `the YAML reader did not load (${(e as Error).message})` };
  }
  const { policies, ignored } = networkPoliciesIn(objects);
  if (policies.length === 0)
    return {
      ok: false,
      text: `no NetworkPolicy in the text${ignored.length ? ` (${ignored.join('; ')})` : ''}`,
    };
  return { ok: true, objects: policies, ignored };
}

/** The edits that apply these objects to the scenario's list, as kubectl apply would. */
export function applyEdits(
  list: readonly unknown[],
  objects: readonly Record<string, unknown>[],
): { readonly edits: Edit[]; readonly indices: number[] } {
  const refs = list.map((o, i) => policyObjectRef(o, i));
  const edits: Edit[] = [];
  const indices: number[] = [];
  for (const object of objects) {
    const ref = policyObjectRef(object, refs.length);
    const at = ref.startsWith('networkPolicies[') ? -1 : refs.indexOf(ref);
    const index = at >= 0 ? at : refs.length;
    if (at < 0) refs.push(ref);
    edits.push({ kind: 'setNetworkPolicy', index, object });
    indices.push(index);
  }
  return { edits, indices };
}

/**
 * Adds the policies a text holds (one undo step) and picks the first; resolves to what
 * happened, in a sentence, or to why nothing was added (the text stays where it was typed).
 */
export async function addPolicyText(
  store: AppStore,
  text: string,
): Promise<{ readonly ok: boolean; readonly text: string }> {
  const r = await policiesFromText(text);
  if (!r.ok) return r;
  const st = store.getState();
  const { edits, indices } = applyEdits(st.scenario.networkPolicies ?? [], r.objects);
  const before = st.scenario.networkPolicies ?? [];
  const replaced = indices.filter((i) => i < before.length).length;
  st.applyAll(edits);
  st.selectPolicy(indices[0] ?? null);
  const added = indices.length - replaced;
  const parts = [
    ...(added ? [`added ${added} NetworkPolic${added === 1 ? 'y' : 'ies'}`] : []),
    ...(replaced ? [`replaced ${replaced}`] : []),
  ];
  return { ok: true, text: [parts.join(', '), ...r.ignored].join('; ') };
}

/** Replaces the policy at `index` with the one a text holds (exactly one). */
export async function replacePolicyText(
  store: AppStore,
  index: number,
  text: string,
): Promise<{ readonly ok: boolean; readonly text: string }> {
  const r = await policyFromText(text);
  if (!r.ok) return r;
  store.getState().apply({ kind: 'setNetworkPolicy', index, object: r.object });
  store.getState().setPolicyDraft(null);
  return { ok: true, text: 'applied' };
}

/** Exactly one NetworkPolicy object from a text (an edit, a what-if). */
export async function policyFromText(
  text: string,
): Promise<
  | { readonly ok: true; readonly object: Record<string, unknown> }
  | { readonly ok: false; readonly text: string }
> {
  const r = await policiesFromText(text);
  if (!r.ok) return r;
  if (r.objects.length !== 1)
    return {
      ok: false,
      text: `the text holds ${r.objects.length} NetworkPolicies; an edit takes one`,
    };
  return { ok: true, object: r.objects[0]! };
}
