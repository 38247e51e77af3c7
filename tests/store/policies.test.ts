import { describe, expect, it } from 'vitest';
import { example } from '../../src/engine/index';
import { createAppStore } from '../../src/store/createAppStore';
import {
  podIsolation,
  selectMatrix,
  selectPickedPolicy,
  selectPolicies,
  selectPolicySelects,
} from '../../src/store/policies';
import { addPolicyText, replacePolicyText } from '../../src/store/policyText';

const DENY_WEB_YAML = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-web
spec:
  podSelector:
    matchLabels:
      app: web
`;
const ALLOW_ALL_JSON = JSON.stringify({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'deny-web' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] },
});

describe('NetworkPolicies pasted, picked and edited through the undo path', () => {
  it('a pasted YAML policy joins the list, is picked, and selects its pods; Ctrl+Z takes it away', async () => {
    const store = createAppStore(example('seed'));
    const r = await addPolicyText(store, DENY_WEB_YAML);
    expect(r).toEqual({ ok: true, text: 'added 1 NetworkPolicy' });
    const st = store.getState();
    expect(st.policy).toBe(0);
    expect(selectPickedPolicy(st)?.entry.ok).toBe(true);
    expect([...selectPolicySelects(st)].sort()).toEqual(['default/pod1b', 'default/pod2a']);
    expect(podIsolation(selectPolicies(st), 'pod2a')).toEqual({
      ingress: [{ ref: 'default/deny-web', index: 0 }],
      egress: [],
    });
    st.undo();
    expect(store.getState().scenario.networkPolicies).toBeUndefined();
  });

  it('the same namespace/name again replaces it, as kubectl apply does; not-YAML adds nothing', async () => {
    const store = createAppStore(example('seed'));
    await addPolicyText(store, DENY_WEB_YAML);
    expect(await addPolicyText(store, ALLOW_ALL_JSON)).toEqual({ ok: true, text: 'replaced 1' });
    expect(store.getState().scenario.networkPolicies).toHaveLength(1);
    const bad = await addPolicyText(store, 'kind: [');
    expect(bad.ok).toBe(false);
    expect(store.getState().scenario.networkPolicies).toHaveLength(1);
  });

  it('an invalid policy is kept and marked with the API server words', async () => {
    const store = createAppStore(example('seed'));
    await addPolicyText(
      store,
      DENY_WEB_YAML.replace('app: web', 'app: web\n  policyTypes: [Sideways]'),
    );
    const picked = selectPickedPolicy(store.getState())!;
    expect(picked.entry.ok).toBe(false);
    expect(picked.entry.ok ? '' : picked.entry.refusal.text).toContain(
      'spec.policyTypes[0]: Unsupported value: "Sideways"',
    );
  });
});

describe('the reachability matrix: allowed/blocked per pair, and the cells a change turned', () => {
  it('marks the cells the last edit blocked, and the cells a what-if would open', async () => {
    const store = createAppStore(example('seed'));
    store.getState().openMatrix({ protocol: 'TCP', port: 8080 });
    expect(selectMatrix(store.getState())!.table.values.flat().every(Boolean)).toBe(true);
    await addPolicyText(store, DENY_WEB_YAML);
    const m = selectMatrix(store.getState())!;
    expect(m.changedBy).toBe('lastEdit');
    expect([...m.changed].sort()).toEqual([
      'default/pod1a\tdefault/pod1b',
      'default/pod1a\tdefault/pod2a',
      'default/pod1b\tdefault/pod2a',
      'default/pod2a\tdefault/pod1b',
    ]);
    expect(selectMatrix(store.getState())).toBe(m);
    store.getState().setPolicyDraft({ index: 0, object: JSON.parse(ALLOW_ALL_JSON) });
    const w = selectMatrix(store.getState())!;
    expect(w.changedBy).toBe('draft');
    expect(w.changed.size).toBe(4);
    await replacePolicyText(store, 0, ALLOW_ALL_JSON);
    expect(selectMatrix(store.getState())!.table.values.flat().every(Boolean)).toBe(true);
  });
});
