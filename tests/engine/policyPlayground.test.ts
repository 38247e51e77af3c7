/**
 * NetworkPolicy in the playground: objects added and edited through the Edit path (kept
 * verbatim, invalid ones too), pasted text sorted into policies, the delivery hop's note
 * when flannel does not enforce a policy, and kubectl get/describe networkpolicy.
 */
import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  buildNetwork,
  clusterPoliciesOf,
  example,
  networkPoliciesIn,
  policyObjectRef,
  trace,
  type Scenario,
} from '../../src/engine/index';
import { newShellSession, runShell } from '../../src/engine/shell/index';

type Json = Record<string, unknown>;
const np = (name: string, spec: Json, namespace?: string): Json => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec,
});
const DENY_WEB = np('deny-web', { podSelector: { matchLabels: { app: 'web' } } });
const ALLOW_SHELL = np('allow-shell', {
  podSelector: { matchLabels: { app: 'web' } },
  ingress: [{ from: [{ podSelector: { matchLabels: { app: 'shell' } } }] }],
});

const withPolicies = (objects: Json[], s: Scenario = example('seed')): Scenario =>
  objects.reduce<Scenario>(
    (acc, object, i) => applyEdit(acc, { kind: 'setNetworkPolicy', index: i, object }),
    s,
  );

function built(s: Scenario) {
  const b = buildNetwork(s);
  if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('\n'));
  return b.network;
}

describe('setNetworkPolicy: policies as objects, added, replaced and removed verbatim', () => {
  it('appends at the list length, replaces at an index, removes with null', () => {
    const s = withPolicies([DENY_WEB, ALLOW_SHELL]);
    expect(s.networkPolicies).toEqual([DENY_WEB, ALLOW_SHELL]);
    const replaced = applyEdit(s, { kind: 'setNetworkPolicy', index: 0, object: ALLOW_SHELL });
    expect(replaced.networkPolicies?.[0]).toEqual(ALLOW_SHELL);
    const gone = applyEdit(applyEdit(s, { kind: 'setNetworkPolicy', index: 0, object: null }), {
      kind: 'setNetworkPolicy',
      index: 0,
      object: null,
    });
    expect('networkPolicies' in gone).toBe(false);
    expect(applyEdit(s, { kind: 'setNetworkPolicy', index: 7, object: DENY_WEB })).toBe(s);
  });

  it('an invalid policy is kept and refused in the API server words, at its index', () => {
    const bad = np('bad', {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }],
    });
    const cp = clusterPoliciesOf(withPolicies([DENY_WEB, bad]));
    expect(cp.entries.map((e) => [e.index, e.ok])).toEqual([
      [0, true],
      [1, false],
    ]);
    const e = cp.entries[1]!;
    expect(e.ok ? '' : e.refusal.text).toContain('The NetworkPolicy "bad" is invalid');
    expect(e.ok ? '' : e.refusal.text).toContain('spec.ingress[0].from[0].ipBlock.cidr');
  });

  it('names an object by namespace/name, or by its index without a name', () => {
    expect(policyObjectRef(DENY_WEB, 0)).toBe('default/deny-web');
    expect(policyObjectRef(np('a', {}, 'x'), 0)).toBe('x/a');
    expect(policyObjectRef({ kind: 'NetworkPolicy' }, 3)).toBe('networkPolicies[3]');
  });
});

describe('pasted objects: the NetworkPolicies kept, the rest named and left out', () => {
  it('drops the server bookkeeping and status, keeps a policy of another group to be refused', () => {
    const got = networkPoliciesIn([
      {
        ...DENY_WEB,
        metadata: { name: 'deny-web', uid: 'u', resourceVersion: '9', creationTimestamp: 'x' },
        status: {},
      },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } },
      { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'c' } },
    ]);
    expect(got.policies[0]).toEqual(DENY_WEB);
    expect(got.policies).toHaveLength(2);
    expect(got.ignored).toEqual(['ignored: Pod web (not a NetworkPolicy)']);
  });
});

describe('flannel stores NetworkPolicies and enforces none: the delivery hop says what they would do', () => {
  const tcp = (s: Scenario, from: string, dst: string) => {
    const t = trace(built(s), { from, dst, protocol: 'tcp', dport: 8080 });
    if (!t.ok) throw new Error(t.error.text);
    return t.value;
  };

  it('names the policy and its sentence on the delivery, and the packet is delivered', () => {
    const t = tcp(withPolicies([DENY_WEB]), 'pod1a', '172.17.2.2');
    expect(t.verdict.ok).toBe(true);
    const delivery = t.hops.find((h) => h.action === 'deliver' && h.namespace === 'pod2a')!;
    expect(delivery.notes).toEqual([
      'default/deny-web would deny this (denied by default: default/pod2a is isolated for ingress by default/deny-web, and no rule of it allows default/pod1a on TCP 8080), but flannel implements no NetworkPolicy: delivered',
    ]);
    // the reply is conntrack's: no note on the way back
    expect(t.hops.filter((h) => h.notes).length).toBe(1);
  });

  it('says nothing when a rule allows it, when no policy selects the pod, or when Felix enforces', () => {
    const allowed = tcp(withPolicies([DENY_WEB, ALLOW_SHELL]), 'pod1a', '172.17.2.2');
    expect(allowed.hops.some((h) => h.notes)).toBe(false);
    const felix = withPolicies([DENY_WEB], {
      ...example('seed'),
      cluster: { ...example('seed').cluster, networkPolicy: 'felix' },
    });
    expect(tcp(felix, 'pod1a', '172.17.2.2').hops.some((h) => h.notes)).toBe(false);
    expect(tcp(withPolicies([DENY_WEB]), 'pod1b', '172.17.1.2').hops.some((h) => h.notes)).toBe(
      false,
    );
  });
});

describe('kubectl get / describe networkpolicy on a node', () => {
  const run = (s: Scenario, line: string) =>
    runShell({ net: built(s), session: newShellSession('node1') }, line);
  const s = withPolicies([DENY_WEB, ALLOW_SHELL]);

  it('lists the stored policies with their pod selector, by namespace or all', () => {
    expect(run(s, 'kubectl get networkpolicy').output).toBe(
      [
        'NAME          POD-SELECTOR   AGE',
        'allow-shell   app=web        <unknown>',
        'deny-web      app=web        <unknown>',
      ].join('\n'),
    );
    expect(run(s, 'kubectl get netpol -A').output.split('\n')[0]).toBe(
      'NAMESPACE   NAME          POD-SELECTOR   AGE',
    );
    expect(run(s, 'kubectl get networkpolicies -n x').output).toBe(
      'No resources found in x namespace.',
    );
  });

  it('describes one by name as kubectl does, and says NotFound for another', () => {
    const out = run(s, 'kubectl describe networkpolicy deny-web').output;
    expect(out.split('\n').slice(0, 2)).toEqual([
      'Name:         deny-web',
      'Namespace:    default',
    ]);
    expect(out).toContain('  PodSelector:     app=web');
    expect(run(s, 'kubectl describe netpol nope -n default')).toEqual({
      output: 'Error from server (NotFound): networkpolicies.networking.k8s.io "nope" not found',
      status: 1,
    });
  });
});
