/**
 * Kubernetes' own NetworkPolicy e2e suite (kubernetes/kubernetes
 * test/e2e/network/netpol/network_policy.go), case by case: the same model
 * (namespaces x, y, z; pods a, b, c labelled pod=<name>; containers serving
 * 80 and 81 on TCP and UDP with the named ports serve-80-tcp …, in
 * tests/fixtures/netpol/model.json), the same policies, and the expected
 * reachability each case builds with reachability.go's Expect* helpers, over
 * the pods the case initializes. Loopback is left out, as upstream ignores it
 * (ignoreLoopback). The engine is held to the expected truth table, not to
 * a packet: these are the verdicts of the policies alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  clusterPolicies,
  printTruthTable,
  reachabilityTable,
  type PolicyScenario,
  type Traffic,
  type TruthTable,
} from '../../src/engine/policy/index';

type Json = Record<string, unknown>;
type Scenario = PolicyScenario & { readonly pods: PolicyScenario['pods'] };

const MODEL: Scenario = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'netpol', 'model.json'), 'utf8'),
) as Scenario;
const nsLabel = 'kubernetes.io/metadata.name';

// ---- policies.go's builders: GenNetworkPolicyWithNameAndPodSelector and its SetFuncs ----

type SetFunc = (spec: Json) => void;
/** SetSpecIngressRules: the first call adds policyType Ingress */
const ingressRules =
  (...rules: Json[]): SetFunc =>
  (spec) => {
    if (!spec['ingress']) {
      spec['ingress'] = [];
      spec['policyTypes'] = [...((spec['policyTypes'] as string[]) ?? []), 'Ingress'];
    }
    (spec['ingress'] as Json[]).push(...rules);
  };
const egressRules =
  (...rules: Json[]): SetFunc =>
  (spec) => {
    if (!spec['egress']) {
      spec['egress'] = [];
      spec['policyTypes'] = [...((spec['policyTypes'] as string[]) ?? []), 'Egress'];
    }
    (spec['egress'] as Json[]).push(...rules);
  };
function policy(namespace: string, name: string, podSelector: Json, ...set: SetFunc[]): Json {
  const spec: Json = { podSelector };
  for (const f of set) f(spec);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  };
}
const matchLabels = (labels: Record<string, string>) => ({ matchLabels: labels });

// ---- reachability.go ----

interface Peer {
  readonly namespace?: string;
  readonly pod?: string;
}
class Reachability {
  readonly expected = new Map<string, Map<string, boolean>>();
  constructor(readonly pods: readonly string[]) {
    for (const f of pods) this.expected.set(f, new Map(pods.map((t) => [t, true])));
  }
  expect(from: string, to: string, v: boolean) {
    this.expected.get(from)!.set(to, v);
  }
  expectAllIngress(pod: string, v: boolean) {
    for (const f of this.pods) this.expect(f, pod, v);
  }
  expectAllEgress(pod: string, v: boolean) {
    for (const t of this.pods) this.expect(pod, t, v);
  }
  expectPeer(from: Peer, to: Peer, v: boolean) {
    const matches = (p: Peer, key: string) => {
      const [ns, name] = key.split('/');
      return (!p.namespace || p.namespace === ns) && (!p.pod || p.pod === name);
    };
    for (const f of this.pods)
      if (matches(from, f)) for (const t of this.pods) if (matches(to, t)) this.expect(f, t, v);
  }
}

const TCP = (port: number): Traffic => ({ protocol: 'TCP', port });
const UDP = (port: number): Traffic => ({ protocol: 'UDP', port });
const SCTP = (port: number): Traffic => ({ protocol: 'SCTP', port });

function tableFor(
  policies: Json[],
  traffic: Traffic,
  pods: readonly string[],
  scenario: Scenario = MODEL,
) {
  const cp = clusterPolicies({ ...scenario, networkPolicies: policies });
  expect(cp.refused).toEqual([]);
  const chosen = pods.map((k) => cp.world.pod(k)!);
  return reachabilityTable(cp.engine, traffic, chosen);
}

/** ValidateOrFail: every pair but loopback as expected; the table printed on failure */
function validateOrFail(table: TruthTable, r: Reachability) {
  const wrong: string[] = [];
  table.froms.forEach((f, i) =>
    table.tos.forEach((t, j) => {
      if (f === t) return;
      if (table.values[i]![j] !== r.expected.get(f)!.get(t)) wrong.push(`${f} -> ${t}`);
    }),
  );
  expect(wrong, `observed:\n${printTruthTable(table)}`).toEqual([]);
}

/** the scenario with one pod's or one namespace's labels replaced (AddPodLabels, AddNamespaceLabel) */
function withPodLabels(key: string, labels: Record<string, string>): Scenario {
  return {
    ...MODEL,
    pods: MODEL.pods.map((p) => (`${p.namespace}/${p.name}` === key ? { ...p, labels } : p)),
  };
}
function withNamespaceLabel(ns: string, k: string, v: string): Scenario {
  return {
    ...MODEL,
    namespaces: (MODEL.namespaces ?? []).map((n) =>
      n.name === ns ? { ...n, labels: { ...n.labels, [k]: v } } : n,
    ),
  };
}
const podIp = (key: string) => MODEL.pods.find((p) => `${p.namespace}/${p.name}` === key)!.ip!;

const port81FromY = (name: string, protocol = 'TCP') =>
  policy(
    'x',
    name,
    matchLabels({ pod: 'a' }),
    ingressRules({
      from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }],
      ports: [{ port: 81, protocol }],
    }),
  );

describe('Netpol NetworkPolicy between server and client', () => {
  it("should support a 'default-deny-ingress' policy", () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b'];
    const table = tableFor([policy('x', 'deny-ingress', {}, ingressRules())], TCP(80), pods);
    const r = new Reachability(pods);
    r.expectPeer({}, { namespace: 'x' }, false);
    validateOrFail(table, r);
    // the e2e suite's own rendering of the matrix (loopback as podhop decides it: allowed)
    expect(printTruthTable(table)).toBe(
      [
        '-\tx/a\tx/b\ty/a\ty/b',
        'x/a\t.\tX\t.\t.',
        'x/b\tX\t.\t.\t.',
        'y/a\tX\tX\t.\t.',
        'y/b\tX\tX\t.\t.',
      ].join('\n'),
    );
  });

  it("should support a 'default-deny-all' policy", () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const table = tableFor(
      [policy('x', 'deny-all', {}, ingressRules(), egressRules())],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectPeer({}, { namespace: 'x' }, false);
    r.expectPeer({ namespace: 'x' }, {}, false);
    validateOrFail(table, r);
  });

  it('should enforce policy to allow traffic from pods within server namespace based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const rule = { from: [{ podSelector: matchLabels({ pod: 'b' }) }] };
    const table = tableFor(
      [policy('x', 'x-a-allows-x-b', matchLabels({ pod: 'a' }), ingressRules(rule))],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    r.expect('x/b', 'x/a', true);
    validateOrFail(table, r);
  });

  it('should enforce policy to allow ingress traffic for a target', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const allow = { from: [{ podSelector: {}, namespaceSelector: {} }] };
    const table = tableFor(
      [
        policy('x', 'deny-all', {}, ingressRules()),
        policy('x', 'allow-all-to-a', matchLabels({ pod: 'a' }), ingressRules(allow)),
      ],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', true);
    r.expectAllIngress('x/b', false);
    validateOrFail(table, r);
  });

  it('should enforce policy to allow ingress traffic from pods in all namespaces', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const rule = { from: [{ namespaceSelector: { matchLabels: {} } }] };
    const table = tableFor(
      [policy('x', 'allow-from-another-ns', matchLabels({ pod: 'a' }), ingressRules(rule))],
      TCP(80),
      pods,
    );
    validateOrFail(table, new Reachability(pods));
  });

  it('should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const rule = { from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }] };
    const table = tableFor(
      [
        policy(
          'x',
          'allow-client-a-via-ns-selector',
          matchLabels({ pod: 'a' }),
          ingressRules(rule),
        ),
      ],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(table, r);
  });

  it('should enforce policy based on PodSelector with MatchExpressions', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const rule = {
      from: [
        { podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } },
      ],
    };
    const table = tableFor(
      [policy('x', 'x-a-allows-x-b', matchLabels({ pod: 'a' }), ingressRules(rule))],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    r.expect('x/b', 'x/a', true);
    validateOrFail(table, r);
  });

  it('should enforce policy based on NamespaceSelector with MatchExpressions', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const rule = {
      from: [
        {
          namespaceSelector: {
            matchExpressions: [{ key: nsLabel, operator: 'In', values: ['y'] }],
          },
        },
      ],
    };
    const table = tableFor(
      [policy('x', 'allow-ns-y-match-selector', matchLabels({ pod: 'a' }), ingressRules(rule))],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(table, r);
  });

  it('should enforce policy based on PodSelector or NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const rule = {
      from: [
        {
          namespaceSelector: {
            matchExpressions: [{ key: nsLabel, operator: 'NotIn', values: ['x'] }],
          },
        },
        { podSelector: matchLabels({ pod: 'b' }) },
      ],
    };
    const table = tableFor(
      [policy('x', 'allow-ns-y-match-selector', matchLabels({ pod: 'a' }), ingressRules(rule))],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expect('x/a', 'x/a', false);
    r.expect('x/c', 'x/a', false);
    validateOrFail(table, r);
  });

  it('should enforce policy based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'];
    const rule = {
      from: [
        {
          namespaceSelector: {
            matchExpressions: [{ key: nsLabel, operator: 'NotIn', values: ['x'] }],
          },
          podSelector: matchLabels({ pod: 'b' }),
        },
      ],
    };
    const table = tableFor(
      [
        policy(
          'x',
          'allow-ns-y-podselector-and-nsselector',
          matchLabels({ pod: 'a' }),
          ingressRules(rule),
        ),
      ],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    r.expect('y/b', 'x/a', true);
    r.expect('z/b', 'x/a', true);
    validateOrFail(table, r);
  });

  it('should enforce policy based on Multiple PodSelectors and NamespaceSelectors', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'];
    const rule = {
      from: [
        {
          namespaceSelector: {
            matchExpressions: [{ key: nsLabel, operator: 'NotIn', values: ['x'] }],
          },
          podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
        },
      ],
    };
    const table = tableFor(
      [policy('x', 'allow-ns-y-z-pod-b-c', matchLabels({ pod: 'a' }), ingressRules(rule))],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    r.expect('y/a', 'x/a', false);
    validateOrFail(table, r);
  });

  it('should enforce policy based on any PodSelectors', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const rule = {
      from: [
        { podSelector: matchLabels({ pod: 'b' }) },
        { podSelector: matchLabels({ pod: 'c' }) },
      ],
    };
    const table = tableFor(
      [policy('x', 'allow-ns-x-pod-b-c', matchLabels({ pod: 'a' }), ingressRules(rule))],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    r.expect('x/b', 'x/a', true);
    r.expect('x/c', 'x/a', true);
    validateOrFail(table, r);
  });

  it('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const rule = {
      from: [
        {
          namespaceSelector: matchLabels({ [nsLabel]: 'y' }),
          podSelector: matchLabels({ pod: 'a' }),
        },
      ],
    };
    const table = tableFor(
      [
        policy(
          'x',
          'allow-ns-y-pod-a-via-namespace-pod-selector',
          matchLabels({ pod: 'a' }),
          ingressRules(rule),
        ),
      ],
      TCP(80),
      pods,
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    r.expect('y/a', 'x/a', true);
    validateOrFail(table, r);
  });

  it('should enforce policy based on Ports', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const table = tableFor([port81FromY('allow-client-a-via-ns-selector')], TCP(81), pods);
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    r.expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true);
    r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(table, r);
  });

  it('should enforce multiple, stacked policies with overlapping podSelectors', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'];
    const allow81 = port81FromY('allow-client-a-via-ns-selector');
    const allowed = new Reachability(pods);
    allowed.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    allowed.expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true);
    allowed.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(tableFor([allow81], TCP(81), pods), allowed);
    const denied = new Reachability(pods);
    denied.expectAllIngress('x/a', false);
    validateOrFail(tableFor([allow81], TCP(80), pods), denied);
    const allow80 = policy(
      'x',
      'allow-client-a-via-ns-selector-80',
      matchLabels({ pod: 'a' }),
      ingressRules({
        from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }],
        ports: [{ port: 80, protocol: 'TCP' }],
      }),
    );
    validateOrFail(tableFor([allow81, allow80], TCP(80), pods), allowed);
  });

  it('should support allow-all policy', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const all = [policy('x', 'allow-all', { matchLabels: {} }, ingressRules({}))];
    validateOrFail(tableFor(all, TCP(80), pods), new Reachability(pods));
    validateOrFail(tableFor(all, TCP(81), pods), new Reachability(pods));
  });

  it('should allow ingress access on one named port', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const p = [
      policy(
        'x',
        'allow-all',
        { matchLabels: {} },
        ingressRules({ ports: [{ port: 'serve-81-tcp' }] }),
      ),
    ];
    validateOrFail(tableFor(p, TCP(81), pods), new Reachability(pods));
    const r80 = new Reachability(pods);
    r80.expectPeer({}, { namespace: 'x' }, false);
    validateOrFail(tableFor(p, TCP(80), pods), r80);
  });

  it('should allow ingress access from namespace on one named port', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const p = [
      policy(
        'x',
        'allow-client-a-via-ns-selector-80',
        matchLabels({ pod: 'a' }),
        ingressRules({
          from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }],
          ports: [{ port: 'serve-80-tcp', protocol: 'TCP' }],
        }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
    const fail = new Reachability(pods);
    fail.expectAllIngress('x/a', false);
    validateOrFail(tableFor(p, TCP(81), pods), fail);
  });

  it('should allow egress access on one named port', () => {
    const pods = ['x/a', 'y/a'];
    const p = [
      policy(
        'x',
        'allow-egress',
        { matchLabels: {} },
        egressRules({ ports: [{ port: 'serve-80-tcp' }] }),
      ),
    ];
    validateOrFail(tableFor(p, TCP(80), pods), new Reachability(pods));
    const r81 = new Reachability(pods);
    r81.expectPeer({ namespace: 'x' }, {}, false);
    validateOrFail(tableFor(p, TCP(81), pods), r81);
  });

  it('should enforce updated policy', () => {
    const pods = ['x/a', 'y/a'];
    const allowAll = policy(
      'x',
      'allow-all-mutate-to-deny-all',
      { matchLabels: {} },
      ingressRules({}),
    );
    validateOrFail(tableFor([allowAll], TCP(81), pods), new Reachability(pods));
    // policy.Spec.Ingress = []; UpdatePolicy: policyTypes stays [Ingress]
    const denyAll = { ...allowAll, spec: { ...(allowAll['spec'] as Json), ingress: [] } };
    const deny = new Reachability(pods);
    deny.expectPeer({}, { namespace: 'x' }, false);
    validateOrFail(tableFor([denyAll], TCP(81), pods), deny);
  });

  it('should allow ingress access from updated namespace', () => {
    const pods = ['x/a', 'y/a'];
    const p = [
      policy(
        'x',
        'allow-client-a-via-ns-selector',
        matchLabels({ pod: 'a' }),
        ingressRules({ from: [{ namespaceSelector: matchLabels({ ns2: 'updated' }) }] }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
    const withLabel = new Reachability(pods);
    withLabel.expectAllIngress('x/a', false);
    withLabel.expectPeer({ namespace: 'y' }, {}, true);
    validateOrFail(
      tableFor(p, TCP(80), pods, withNamespaceLabel('y', 'ns2', 'updated')),
      withLabel,
    );
  });

  it('should allow ingress access from updated pod', () => {
    const pods = ['x/a', 'x/b'];
    const labels = { pod: 'b', pod2: 'updated' };
    const p = [
      policy(
        'x',
        'allow-client-a-via-pod-selector',
        matchLabels({ pod: 'a' }),
        ingressRules({ from: [{ podSelector: matchLabels(labels) }] }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
    const withLabel = new Reachability(pods);
    withLabel.expectAllIngress('x/a', false);
    withLabel.expect('x/b', 'x/a', true);
    validateOrFail(tableFor(p, TCP(80), pods, withPodLabels('x/b', labels)), withLabel);
  });

  it('should deny ingress from pods on other namespaces', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const p = [
      policy(
        'x',
        'deny-empty-policy',
        {},
        ingressRules({ from: [{ podSelector: { matchLabels: {} } }] }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'y' }, { namespace: 'x' }, false);
    r.expectPeer({ namespace: 'z' }, { namespace: 'x' }, false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
  });

  it('should deny ingress access to updated pod', () => {
    const pods = ['x/a', 'y/a'];
    const p = [
      policy(
        'x',
        'deny-ingress-via-label-selector',
        matchLabels({ target: 'isolated' }),
        ingressRules(),
      ),
    ];
    validateOrFail(tableFor(p, TCP(80), pods), new Reachability(pods));
    const isolated = new Reachability(pods);
    isolated.expectAllIngress('x/a', false);
    validateOrFail(
      tableFor(p, TCP(80), pods, withPodLabels('x/a', { pod: 'a', target: 'isolated' })),
      isolated,
    );
  });

  it('should deny egress from pods based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const p = [policy('x', 'deny-egress-pod-a', matchLabels({ pod: 'a' }), egressRules())];
    const r = new Reachability(pods);
    r.expectAllEgress('x/a', false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
  });

  it('should deny egress from all pods in a namespace', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const p = [policy('x', 'deny-egress-ns-x', {}, egressRules())];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, {}, false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
  });

  it('should work with Ingress, Egress specified together', () => {
    const pods = ['x/a', 'x/b', 'x/c', 'y/a'];
    const p = policy(
      'x',
      'allow-client-a-via-pod-selector',
      matchLabels({ pod: 'a' }),
      ingressRules({ from: [{ podSelector: matchLabels({ pod: 'b' }) }] }),
    );
    const spec = p['spec'] as Json;
    spec['egress'] = [{ ports: [{ port: 80 }] }];
    spec['policyTypes'] = ['Egress', 'Ingress'];
    const r80 = new Reachability(pods);
    r80.expectAllIngress('x/a', false);
    r80.expect('x/b', 'x/a', true);
    validateOrFail(tableFor([p], TCP(80), pods), r80);
    const r81 = new Reachability(pods);
    r81.expectAllIngress('x/a', false);
    r81.expectAllEgress('x/a', false);
    r81.expect('x/b', 'x/a', true);
    validateOrFail(tableFor([p], TCP(81), pods), r81);
  });

  it('should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const egress = policy(
      'x',
      'allow-to-ns-y-pod-a',
      matchLabels({ pod: 'a' }),
      egressRules({
        to: [
          {
            namespaceSelector: matchLabels({ [nsLabel]: 'y' }),
            podSelector: matchLabels({ pod: 'a' }),
          },
        ],
      }),
    );
    const fromXa = {
      from: [
        {
          namespaceSelector: matchLabels({ [nsLabel]: 'x' }),
          podSelector: matchLabels({ pod: 'a' }),
        },
      ],
    };
    const p = [
      egress,
      policy(
        'y',
        'allow-from-xa-on-ya-match-selector',
        matchLabels({ pod: 'a' }),
        ingressRules(fromXa),
      ),
      policy(
        'y',
        'allow-from-xa-on-yb-match-selector',
        matchLabels({ pod: 'b' }),
        ingressRules(fromXa),
      ),
    ];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x', pod: 'a' }, {}, false);
    r.expectPeer({}, { namespace: 'y', pod: 'a' }, false);
    r.expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y', pod: 'a' }, true);
    r.expectPeer({}, { namespace: 'y', pod: 'b' }, false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
  });

  it('should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const p = [
      policy(
        'x',
        'allow-to-ns-y-pod-a',
        matchLabels({ pod: 'a' }),
        egressRules({
          to: [
            {
              namespaceSelector: matchLabels({ [nsLabel]: 'y' }),
              podSelector: matchLabels({ pod: 'a' }),
            },
          ],
        }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectAllEgress('x/a', false);
    r.expect('x/a', 'y/a', true);
    validateOrFail(tableFor(p, TCP(80), pods), r);
  });

  it('should enforce ingress policy allowing any port traffic to a server on a specific protocol', () => {
    const pods = ['x/a', 'y/a'];
    const p = [
      policy(
        'x',
        'allow-ingress-by-proto',
        matchLabels({ pod: 'a' }),
        ingressRules({ ports: [{ protocol: 'TCP' }] }),
      ),
    ];
    validateOrFail(tableFor(p, TCP(80), pods), new Reachability(pods));
    const udp = new Reachability(pods);
    udp.expectPeer({}, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(tableFor(p, UDP(80), pods), udp);
  });

  it('should enforce multiple ingress policies with ingress allow-all policy taking precedence', () => {
    const pods = ['x/a', 'y/a'];
    const only80 = policy(
      'x',
      'allow-ingress-port-80',
      { matchLabels: {} },
      ingressRules({ ports: [{ port: 80 }] }),
    );
    const r = new Reachability(pods);
    r.expectPeer({}, { namespace: 'x' }, false);
    validateOrFail(tableFor([only80], TCP(81), pods), r);
    const all = policy('x', 'allow-ingress', { matchLabels: {} }, ingressRules({}));
    validateOrFail(tableFor([only80, all], TCP(81), pods), new Reachability(pods));
  });

  it('should enforce multiple egress policies with egress allow-all policy taking precedence', () => {
    const pods = ['x/a', 'y/a'];
    const only80 = policy(
      'x',
      'allow-egress-port-80',
      { matchLabels: {} },
      egressRules({ ports: [{ port: 80 }] }),
    );
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, {}, false);
    validateOrFail(tableFor([only80], TCP(81), pods), r);
    const all = policy('x', 'allow-egress', { matchLabels: {} }, egressRules({}));
    validateOrFail(tableFor([only80, all], TCP(81), pods), new Reachability(pods));
  });

  it('should stop enforcing policies after they are deleted', () => {
    const pods = ['x/a', 'y/a'];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, {}, false);
    r.expectPeer({}, { namespace: 'x' }, false);
    validateOrFail(
      tableFor([policy('x', 'deny-all', {}, ingressRules(), egressRules())], TCP(80), pods),
      r,
    );
    validateOrFail(tableFor([], TCP(80), pods), new Reachability(pods));
  });

  it('should allow egress access to server in CIDR block', () => {
    const pods = ['x/a', 'y/a', 'y/b'];
    const p = [
      policy(
        'x',
        'allow-client-a-via-cidr-egress-rule',
        matchLabels({ pod: 'a' }),
        egressRules({ to: [{ ipBlock: { cidr: `${podIp('y/b')}/32` } }] }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectAllEgress('x/a', false);
    r.expect('x/a', 'y/b', true);
    validateOrFail(tableFor(p, TCP(80), pods), r);
  });

  // makeLargeCIDRForIP: the /4 holding the pod's address (10.244.x.x → 0.0.0.0/4)
  const exceptB = () =>
    policy(
      'x',
      'allow-client-a-via-cidr-egress-rule',
      matchLabels({ pod: 'a' }),
      egressRules({ to: [{ ipBlock: { cidr: '0.0.0.0/4', except: [`${podIp('x/b')}/32`] } }] }),
    );

  it('should enforce except clause while egress access to server in CIDR block', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const r = new Reachability(pods);
    r.expect('x/a', 'x/b', false);
    validateOrFail(tableFor([exceptB()], TCP(80), pods), r);
  });

  it('should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed', () => {
    const pods = ['x/a', 'x/b', 'x/c'];
    const r = new Reachability(pods);
    r.expect('x/a', 'x/b', false);
    validateOrFail(tableFor([exceptB()], TCP(80), pods), r);
    // UpdatePolicy with the same name: the policy now allows exactly x/b's address
    const onlyB = policy(
      'x',
      'allow-client-a-via-cidr-egress-rule',
      matchLabels({ pod: 'a' }),
      egressRules({ to: [{ ipBlock: { cidr: `${podIp('x/b')}/32` } }] }),
    );
    const allow = new Reachability(pods);
    allow.expectAllEgress('x/a', false);
    allow.expect('x/a', 'x/b', true);
    validateOrFail(tableFor([onlyB], TCP(80), pods), allow);
  });

  it('should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const allowEgress = policy(
      'x',
      'allow-egress-for-target',
      matchLabels({ pod: 'a' }),
      egressRules({}),
    );
    validateOrFail(tableFor([allowEgress], TCP(80), pods), new Reachability(pods));
    const denyIngress = policy(
      'x',
      'deny-ingress-via-label-selector',
      matchLabels({ pod: 'a' }),
      ingressRules(),
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    validateOrFail(tableFor([allowEgress, denyIngress], TCP(80), pods), r);
  });

  it("should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP", () => {
    const pods = ['x/a', 'y/a'];
    const p = [
      policy('x', 'deny-ingress', {}, ingressRules()),
      policy(
        'x',
        'allow-only-sctp-ingress-on-port-81',
        matchLabels({ pod: 'a' }),
        ingressRules({ ports: [{ port: 81, protocol: 'SCTP' }] }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectPeer({}, { namespace: 'x' }, false);
    validateOrFail(tableFor(p, TCP(81), pods), r);
  });

  it("should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP", () => {
    const pods = ['x/a', 'y/a'];
    const p = [
      policy(
        'x',
        'allow-only-sctp-ingress-on-port-80',
        matchLabels({ pod: 'a' }),
        ingressRules({ ports: [{ port: 80, protocol: 'SCTP' }] }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    validateOrFail(tableFor(p, TCP(81), pods), r);
  });

  it('should not allow access by TCP when a policy specifies only UDP', () => {
    const pods = ['x/a', 'y/a'];
    const p = [
      policy(
        'x',
        'allow-only-udp-ingress-on-port-81',
        matchLabels({ pod: 'a' }),
        ingressRules({ ports: [{ port: 81, protocol: 'UDP' }] }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    validateOrFail(tableFor(p, TCP(81), pods), r);
  });

  it('should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const p = [
      policy(
        'x',
        'allow-client-a-via-ns-selector-for-immutable-ns-label',
        matchLabels({ pod: 'a' }),
        ingressRules({ from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }] }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
  });

  it('should enforce policy based on NamespaceSelector with MatchExpressions using default ns label', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const p = [
      policy(
        'x',
        'allow-ns-y-match-selector-for-immutable-ns-label',
        matchLabels({ pod: 'a' }),
        egressRules({
          to: [
            {
              namespaceSelector: {
                matchExpressions: [{ key: nsLabel, operator: 'NotIn', values: ['y'] }],
              },
            },
          ],
        }),
      ),
    ];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y' }, false);
    validateOrFail(tableFor(p, TCP(80), pods), r);
  });
});

describe('Netpol [LinuxOnly] NetworkPolicy between server and client using UDP', () => {
  it("should support a 'default-deny-ingress' policy", () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b'];
    const r = new Reachability(pods);
    r.expectPeer({}, { namespace: 'x' }, false);
    validateOrFail(tableFor([policy('x', 'deny-all', {}, ingressRules())], UDP(80), pods), r);
  });

  it('should enforce policy based on Ports', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(
      tableFor([port81FromY('allow-ingress-on-port-81-ns-x', 'UDP')], UDP(81), pods),
      r,
    );
  });

  it('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const p = policy(
      'x',
      'allow-ns-y-pod-a-via-namespace-pod-selector',
      matchLabels({ pod: 'a' }),
      ingressRules({
        from: [
          {
            namespaceSelector: matchLabels({ [nsLabel]: 'y' }),
            podSelector: matchLabels({ pod: 'a' }),
          },
        ],
      }),
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    r.expect('y/a', 'x/a', true);
    validateOrFail(tableFor([p], UDP(80), pods), r);
  });
});

// The SCTP cases, on the policies' verdicts alone: podhop's scenario has no SCTP
// container ports, so nothing here says the pods would answer SCTP.
describe('Netpol [Feature:SCTPConnectivity] [LinuxOnly] NetworkPolicy between server and client using SCTP', () => {
  it("should support a 'default-deny-ingress' policy", () => {
    const pods = ['x/a', 'x/b', 'y/a', 'y/b'];
    const r = new Reachability(pods);
    r.expectPeer({}, { namespace: 'x' }, false);
    validateOrFail(tableFor([policy('x', 'deny-all', {}, ingressRules())], SCTP(80), pods), r);
  });

  it('should enforce policy based on Ports', () => {
    const pods = ['x/a', 'x/b', 'y/a', 'z/a'];
    const r = new Reachability(pods);
    r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
    r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
    validateOrFail(
      tableFor([port81FromY('allow-ingress-on-port-81-ns-x', 'SCTP')], SCTP(81), pods),
      r,
    );
  });

  it('should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector', () => {
    const pods = ['x/a', 'x/b', 'y/a'];
    const p = policy(
      'x',
      'allow-ns-y-pod-a-via-namespace-pod-selector',
      matchLabels({ pod: 'a' }),
      ingressRules({
        from: [
          {
            namespaceSelector: matchLabels({ [nsLabel]: 'y' }),
            podSelector: matchLabels({ pod: 'a' }),
          },
        ],
      }),
    );
    const r = new Reachability(pods);
    r.expectAllIngress('x/a', false);
    r.expect('y/a', 'x/a', true);
    validateOrFail(tableFor([p], SCTP(80), pods), r);
  });
});
