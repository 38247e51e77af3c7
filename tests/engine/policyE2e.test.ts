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
  policies: readonly Json[],
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

/** GenNetworkPolicyWithNameAndPodMatchLabel(name, {pod: a}, …) in namespace x */
const forXa = (name: string, ...set: SetFunc[]) =>
  policy('x', name, matchLabels({ pod: 'a' }), ...set);

const port81FromY = (name: string, protocol = 'TCP') =>
  forXa(
    name,
    ingressRules({
      from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }],
      ports: [{ port: 81, protocol }],
    }),
  );

// ---- a case: the pods it initializes, and each state of the policies with what it expects ----

/** One ValidateOrFail: the policies in force (the case's when left out) over one traffic. */
interface Step {
  readonly policies?: readonly Json[];
  readonly traffic: Traffic;
  /** the model with labels changed (AddPodLabels, AddNamespaceLabel) */
  readonly scenario?: Scenario;
  /** reachability.go's Expect* calls on a table that starts all allowed */
  readonly expected?: (r: Reachability) => void;
  /** the e2e suite's own rendering of the matrix (loopback as podhop decides it: allowed) */
  readonly printed?: readonly string[];
}
interface Case {
  /** network_policy.go's ginkgo.It text */
  readonly name: string;
  readonly pods: readonly string[];
  readonly policies?: readonly Json[];
  readonly steps: readonly Step[];
}
function run({ pods, policies = [], steps }: Case) {
  for (const s of steps) {
    const table = tableFor(s.policies ?? policies, s.traffic, pods, s.scenario);
    const r = new Reachability(pods);
    s.expected?.(r);
    validateOrFail(table, r);
    if (s.printed) expect(printTruthTable(table)).toBe(s.printed.join('\n'));
  }
}

// the expectations many cases share
type Expected = (r: Reachability) => void;
const denyIngressToX: Expected = (r) => r.expectPeer({}, { namespace: 'x' }, false);
const denyEgressFromX: Expected = (r) => r.expectPeer({ namespace: 'x' }, {}, false);
const isolateXa: Expected = (r) => r.expectAllIngress('x/a', false);
const onlyXbToXa: Expected = (r) => {
  r.expectAllIngress('x/a', false);
  r.expect('x/b', 'x/a', true);
};
const onlyYaToXa: Expected = (r) => {
  r.expectAllIngress('x/a', false);
  r.expect('y/a', 'x/a', true);
};
const notXNorZToXa: Expected = (r) => {
  r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
  r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
};
const onlyYToXa: Expected = (r) => {
  r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
  r.expectPeer({ namespace: 'y' }, { namespace: 'x', pod: 'a' }, true);
  r.expectPeer({ namespace: 'z' }, { namespace: 'x', pod: 'a' }, false);
};

const allowYaToXa = () =>
  forXa(
    'allow-ns-y-pod-a-via-namespace-pod-selector',
    ingressRules({
      from: [
        {
          namespaceSelector: matchLabels({ [nsLabel]: 'y' }),
          podSelector: matchLabels({ pod: 'a' }),
        },
      ],
    }),
  );
const allowXaToYa = () =>
  forXa(
    'allow-to-ns-y-pod-a',
    egressRules({
      to: [
        {
          namespaceSelector: matchLabels({ [nsLabel]: 'y' }),
          podSelector: matchLabels({ pod: 'a' }),
        },
      ],
    }),
  );
/** the Ingress case's policy with egress on port 80 added, both policyTypes set */
function ingressAndEgress() {
  const p = forXa(
    'allow-client-a-via-pod-selector',
    ingressRules({ from: [{ podSelector: matchLabels({ pod: 'b' }) }] }),
  );
  const spec = p['spec'] as Json;
  spec['egress'] = [{ ports: [{ port: 80 }] }];
  spec['policyTypes'] = ['Egress', 'Ingress'];
  return p;
}
const allowAllMutable = policy(
  'x',
  'allow-all-mutate-to-deny-all',
  { matchLabels: {} },
  ingressRules({}),
);
const fromXa = {
  from: [
    {
      namespaceSelector: matchLabels({ [nsLabel]: 'x' }),
      podSelector: matchLabels({ pod: 'a' }),
    },
  ],
};
// makeLargeCIDRForIP: the /4 holding the pod's address (10.244.x.x → 0.0.0.0/4)
const exceptB = forXa(
  'allow-client-a-via-cidr-egress-rule',
  egressRules({ to: [{ ipBlock: { cidr: '0.0.0.0/4', except: [`${podIp('x/b')}/32`] } }] }),
);
const allowOnly80 = (direction: 'ingress' | 'egress') =>
  policy(
    'x',
    `allow-${direction}-port-80`,
    { matchLabels: {} },
    (direction === 'ingress' ? ingressRules : egressRules)({ ports: [{ port: 80 }] }),
  );
const allowEgressForXa = forXa('allow-egress-for-target', egressRules({}));
const labelsB = { pod: 'b', pod2: 'updated' };

const TCP_CASES: readonly Case[] = [
  {
    name: "should support a 'default-deny-ingress' policy",
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    policies: [policy('x', 'deny-ingress', {}, ingressRules())],
    steps: [
      {
        traffic: TCP(80),
        expected: denyIngressToX,
        printed: [
          '-\tx/a\tx/b\ty/a\ty/b',
          'x/a\t.\tX\t.\t.',
          'x/b\tX\t.\t.\t.',
          'y/a\tX\tX\t.\t.',
          'y/b\tX\tX\t.\t.',
        ],
      },
    ],
  },
  {
    name: "should support a 'default-deny-all' policy",
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x', 'deny-all', {}, ingressRules(), egressRules())],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectPeer({}, { namespace: 'x' }, false);
          r.expectPeer({ namespace: 'x' }, {}, false);
        },
      },
    ],
  },
  {
    name: 'should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [
      forXa('x-a-allows-x-b', ingressRules({ from: [{ podSelector: matchLabels({ pod: 'b' }) }] })),
    ],
    steps: [{ traffic: TCP(80), expected: onlyXbToXa }],
  },
  {
    name: 'should enforce policy to allow ingress traffic for a target',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [
      policy('x', 'deny-all', {}, ingressRules()),
      forXa('allow-all-to-a', ingressRules({ from: [{ podSelector: {}, namespaceSelector: {} }] })),
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectAllIngress('x/a', true);
          r.expectAllIngress('x/b', false);
        },
      },
    ],
  },
  {
    name: 'should enforce policy to allow ingress traffic from pods in all namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [
      forXa(
        'allow-from-another-ns',
        ingressRules({ from: [{ namespaceSelector: { matchLabels: {} } }] }),
      ),
    ],
    steps: [{ traffic: TCP(80) }],
  },
  {
    name: 'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [
      forXa(
        'allow-client-a-via-ns-selector',
        ingressRules({ from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }] }),
      ),
    ],
    steps: [{ traffic: TCP(80), expected: notXNorZToXa }],
  },
  {
    name: 'should enforce policy based on PodSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [
      forXa(
        'x-a-allows-x-b',
        ingressRules({
          from: [
            { podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } },
          ],
        }),
      ),
    ],
    steps: [{ traffic: TCP(80), expected: onlyXbToXa }],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [
      forXa(
        'allow-ns-y-match-selector',
        ingressRules({
          from: [
            {
              namespaceSelector: {
                matchExpressions: [{ key: nsLabel, operator: 'In', values: ['y'] }],
              },
            },
          ],
        }),
      ),
    ],
    steps: [{ traffic: TCP(80), expected: notXNorZToXa }],
  },
  {
    name: 'should enforce policy based on PodSelector or NamespaceSelector',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [
      forXa(
        'allow-ns-y-match-selector',
        ingressRules({
          from: [
            {
              namespaceSelector: {
                matchExpressions: [{ key: nsLabel, operator: 'NotIn', values: ['x'] }],
              },
            },
            { podSelector: matchLabels({ pod: 'b' }) },
          ],
        }),
      ),
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expect('x/a', 'x/a', false);
          r.expect('x/c', 'x/a', false);
        },
      },
    ],
  },
  {
    name: 'should enforce policy based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/b'],
    policies: [
      forXa(
        'allow-ns-y-podselector-and-nsselector',
        ingressRules({
          from: [
            {
              namespaceSelector: {
                matchExpressions: [{ key: nsLabel, operator: 'NotIn', values: ['x'] }],
              },
              podSelector: matchLabels({ pod: 'b' }),
            },
          ],
        }),
      ),
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectAllIngress('x/a', false);
          r.expect('y/b', 'x/a', true);
          r.expect('z/b', 'x/a', true);
        },
      },
    ],
  },
  {
    name: 'should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'y/c'],
    policies: [
      forXa(
        'allow-ns-y-z-pod-b-c',
        ingressRules({
          from: [
            {
              namespaceSelector: {
                matchExpressions: [{ key: nsLabel, operator: 'NotIn', values: ['x'] }],
              },
              podSelector: {
                matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }],
              },
            },
          ],
        }),
      ),
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectPeer({ namespace: 'x' }, { namespace: 'x', pod: 'a' }, false);
          r.expect('y/a', 'x/a', false);
        },
      },
    ],
  },
  {
    name: 'should enforce policy based on any PodSelectors',
    pods: ['x/a', 'x/b', 'x/c'],
    policies: [
      forXa(
        'allow-ns-x-pod-b-c',
        ingressRules({
          from: [
            { podSelector: matchLabels({ pod: 'b' }) },
            { podSelector: matchLabels({ pod: 'c' }) },
          ],
        }),
      ),
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectAllIngress('x/a', false);
          r.expect('x/b', 'x/a', true);
          r.expect('x/c', 'x/a', true);
        },
      },
    ],
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    policies: [allowYaToXa()],
    steps: [{ traffic: TCP(80), expected: onlyYaToXa }],
  },
  {
    name: 'should enforce policy based on Ports',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    policies: [port81FromY('allow-client-a-via-ns-selector')],
    steps: [{ traffic: TCP(81), expected: onlyYToXa }],
  },
  {
    name: 'should enforce multiple, stacked policies with overlapping podSelectors',
    pods: ['x/a', 'x/b', 'y/a', 'y/b', 'z/a'],
    policies: [port81FromY('allow-client-a-via-ns-selector')],
    steps: [
      { traffic: TCP(81), expected: onlyYToXa },
      { traffic: TCP(80), expected: isolateXa },
      {
        policies: [
          port81FromY('allow-client-a-via-ns-selector'),
          forXa(
            'allow-client-a-via-ns-selector-80',
            ingressRules({
              from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }],
              ports: [{ port: 80, protocol: 'TCP' }],
            }),
          ),
        ],
        traffic: TCP(80),
        expected: onlyYToXa,
      },
    ],
  },
  {
    name: 'should support allow-all policy',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x', 'allow-all', { matchLabels: {} }, ingressRules({}))],
    steps: [{ traffic: TCP(80) }, { traffic: TCP(81) }],
  },
  {
    name: 'should allow ingress access on one named port',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [
      policy(
        'x',
        'allow-all',
        { matchLabels: {} },
        ingressRules({ ports: [{ port: 'serve-81-tcp' }] }),
      ),
    ],
    steps: [{ traffic: TCP(81) }, { traffic: TCP(80), expected: denyIngressToX }],
  },
  {
    name: 'should allow ingress access from namespace on one named port',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [
      forXa(
        'allow-client-a-via-ns-selector-80',
        ingressRules({
          from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }],
          ports: [{ port: 'serve-80-tcp', protocol: 'TCP' }],
        }),
      ),
    ],
    steps: [
      { traffic: TCP(80), expected: notXNorZToXa },
      { traffic: TCP(81), expected: isolateXa },
    ],
  },
  {
    name: 'should allow egress access on one named port',
    pods: ['x/a', 'y/a'],
    policies: [
      policy(
        'x',
        'allow-egress',
        { matchLabels: {} },
        egressRules({ ports: [{ port: 'serve-80-tcp' }] }),
      ),
    ],
    steps: [{ traffic: TCP(80) }, { traffic: TCP(81), expected: denyEgressFromX }],
  },
  {
    name: 'should enforce updated policy',
    pods: ['x/a', 'y/a'],
    steps: [
      { policies: [allowAllMutable], traffic: TCP(81) },
      // policy.Spec.Ingress = []; UpdatePolicy: policyTypes stays [Ingress]
      {
        policies: [
          { ...allowAllMutable, spec: { ...(allowAllMutable['spec'] as Json), ingress: [] } },
        ],
        traffic: TCP(81),
        expected: denyIngressToX,
      },
    ],
  },
  {
    name: 'should allow ingress access from updated namespace',
    pods: ['x/a', 'y/a'],
    policies: [
      forXa(
        'allow-client-a-via-ns-selector',
        ingressRules({ from: [{ namespaceSelector: matchLabels({ ns2: 'updated' }) }] }),
      ),
    ],
    steps: [
      { traffic: TCP(80), expected: isolateXa },
      {
        traffic: TCP(80),
        scenario: withNamespaceLabel('y', 'ns2', 'updated'),
        expected: (r) => {
          r.expectAllIngress('x/a', false);
          r.expectPeer({ namespace: 'y' }, {}, true);
        },
      },
    ],
  },
  {
    name: 'should allow ingress access from updated pod',
    pods: ['x/a', 'x/b'],
    policies: [
      forXa(
        'allow-client-a-via-pod-selector',
        ingressRules({ from: [{ podSelector: matchLabels(labelsB) }] }),
      ),
    ],
    steps: [
      { traffic: TCP(80), expected: isolateXa },
      { traffic: TCP(80), scenario: withPodLabels('x/b', labelsB), expected: onlyXbToXa },
    ],
  },
  {
    name: 'should deny ingress from pods on other namespaces',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [
      policy(
        'x',
        'deny-empty-policy',
        {},
        ingressRules({ from: [{ podSelector: { matchLabels: {} } }] }),
      ),
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectPeer({ namespace: 'y' }, { namespace: 'x' }, false);
          r.expectPeer({ namespace: 'z' }, { namespace: 'x' }, false);
        },
      },
    ],
  },
  {
    name: 'should deny ingress access to updated pod',
    pods: ['x/a', 'y/a'],
    policies: [
      policy(
        'x',
        'deny-ingress-via-label-selector',
        matchLabels({ target: 'isolated' }),
        ingressRules(),
      ),
    ],
    steps: [
      { traffic: TCP(80) },
      {
        traffic: TCP(80),
        scenario: withPodLabels('x/a', { pod: 'a', target: 'isolated' }),
        expected: isolateXa,
      },
    ],
  },
  {
    name: 'should deny egress from pods based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [forXa('deny-egress-pod-a', egressRules())],
    steps: [{ traffic: TCP(80), expected: (r) => r.expectAllEgress('x/a', false) }],
  },
  {
    name: 'should deny egress from all pods in a namespace',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [policy('x', 'deny-egress-ns-x', {}, egressRules())],
    steps: [{ traffic: TCP(80), expected: denyEgressFromX }],
  },
  {
    name: 'should work with Ingress, Egress specified together',
    pods: ['x/a', 'x/b', 'x/c', 'y/a'],
    policies: [ingressAndEgress()],
    steps: [
      { traffic: TCP(80), expected: onlyXbToXa },
      {
        traffic: TCP(81),
        expected: (r) => {
          r.expectAllIngress('x/a', false);
          r.expectAllEgress('x/a', false);
          r.expect('x/b', 'x/a', true);
        },
      },
    ],
  },
  {
    name: 'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [
      allowXaToYa(),
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
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectPeer({ namespace: 'x', pod: 'a' }, {}, false);
          r.expectPeer({}, { namespace: 'y', pod: 'a' }, false);
          r.expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y', pod: 'a' }, true);
          r.expectPeer({}, { namespace: 'y', pod: 'b' }, false);
        },
      },
    ],
  },
  {
    name: 'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [allowXaToYa()],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectAllEgress('x/a', false);
          r.expect('x/a', 'y/a', true);
        },
      },
    ],
  },
  {
    name: 'should enforce ingress policy allowing any port traffic to a server on a specific protocol',
    pods: ['x/a', 'y/a'],
    policies: [forXa('allow-ingress-by-proto', ingressRules({ ports: [{ protocol: 'TCP' }] }))],
    steps: [
      { traffic: TCP(80) },
      {
        traffic: UDP(80),
        expected: (r) => r.expectPeer({}, { namespace: 'x', pod: 'a' }, false),
      },
    ],
  },
  {
    name: 'should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    pods: ['x/a', 'y/a'],
    steps: [
      { policies: [allowOnly80('ingress')], traffic: TCP(81), expected: denyIngressToX },
      {
        policies: [
          allowOnly80('ingress'),
          policy('x', 'allow-ingress', { matchLabels: {} }, ingressRules({})),
        ],
        traffic: TCP(81),
      },
    ],
  },
  {
    name: 'should enforce multiple egress policies with egress allow-all policy taking precedence',
    pods: ['x/a', 'y/a'],
    steps: [
      { policies: [allowOnly80('egress')], traffic: TCP(81), expected: denyEgressFromX },
      {
        policies: [
          allowOnly80('egress'),
          policy('x', 'allow-egress', { matchLabels: {} }, egressRules({})),
        ],
        traffic: TCP(81),
      },
    ],
  },
  {
    name: 'should stop enforcing policies after they are deleted',
    pods: ['x/a', 'y/a'],
    steps: [
      {
        policies: [policy('x', 'deny-all', {}, ingressRules(), egressRules())],
        traffic: TCP(80),
        expected: (r) => {
          r.expectPeer({ namespace: 'x' }, {}, false);
          r.expectPeer({}, { namespace: 'x' }, false);
        },
      },
      { policies: [], traffic: TCP(80) },
    ],
  },
  {
    name: 'should allow egress access to server in CIDR block',
    pods: ['x/a', 'y/a', 'y/b'],
    policies: [
      forXa(
        'allow-client-a-via-cidr-egress-rule',
        egressRules({ to: [{ ipBlock: { cidr: `${podIp('y/b')}/32` } }] }),
      ),
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => {
          r.expectAllEgress('x/a', false);
          r.expect('x/a', 'y/b', true);
        },
      },
    ],
  },
  {
    name: 'should enforce except clause while egress access to server in CIDR block',
    pods: ['x/a', 'x/b', 'x/c'],
    policies: [exceptB],
    steps: [{ traffic: TCP(80), expected: (r) => r.expect('x/a', 'x/b', false) }],
  },
  {
    name: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed',
    pods: ['x/a', 'x/b', 'x/c'],
    steps: [
      { policies: [exceptB], traffic: TCP(80), expected: (r) => r.expect('x/a', 'x/b', false) },
      // UpdatePolicy with the same name: the policy now allows exactly x/b's address
      {
        policies: [
          forXa(
            'allow-client-a-via-cidr-egress-rule',
            egressRules({ to: [{ ipBlock: { cidr: `${podIp('x/b')}/32` } }] }),
          ),
        ],
        traffic: TCP(80),
        expected: (r) => {
          r.expectAllEgress('x/a', false);
          r.expect('x/a', 'x/b', true);
        },
      },
    ],
  },
  {
    name: 'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    steps: [
      { policies: [allowEgressForXa], traffic: TCP(80) },
      {
        policies: [allowEgressForXa, forXa('deny-ingress-via-label-selector', ingressRules())],
        traffic: TCP(80),
        expected: isolateXa,
      },
    ],
  },
  {
    name: "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    policies: [
      policy('x', 'deny-ingress', {}, ingressRules()),
      forXa(
        'allow-only-sctp-ingress-on-port-81',
        ingressRules({ ports: [{ port: 81, protocol: 'SCTP' }] }),
      ),
    ],
    steps: [{ traffic: TCP(81), expected: denyIngressToX }],
  },
  {
    name: "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    pods: ['x/a', 'y/a'],
    policies: [
      forXa(
        'allow-only-sctp-ingress-on-port-80',
        ingressRules({ ports: [{ port: 80, protocol: 'SCTP' }] }),
      ),
    ],
    steps: [{ traffic: TCP(81), expected: isolateXa }],
  },
  {
    name: 'should not allow access by TCP when a policy specifies only UDP',
    pods: ['x/a', 'y/a'],
    policies: [
      forXa(
        'allow-only-udp-ingress-on-port-81',
        ingressRules({ ports: [{ port: 81, protocol: 'UDP' }] }),
      ),
    ],
    steps: [{ traffic: TCP(81), expected: isolateXa }],
  },
  {
    name: 'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [
      forXa(
        'allow-client-a-via-ns-selector-for-immutable-ns-label',
        ingressRules({ from: [{ namespaceSelector: matchLabels({ [nsLabel]: 'y' }) }] }),
      ),
    ],
    steps: [{ traffic: TCP(80), expected: notXNorZToXa }],
  },
  {
    name: 'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [
      forXa(
        'allow-ns-y-match-selector-for-immutable-ns-label',
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
    ],
    steps: [
      {
        traffic: TCP(80),
        expected: (r) => r.expectPeer({ namespace: 'x', pod: 'a' }, { namespace: 'y' }, false),
      },
    ],
  },
];

describe('Netpol NetworkPolicy between server and client', () => {
  for (const c of TCP_CASES) it(c.name, () => run(c));
});

/** the three cases upstream runs again on another protocol, the same but for it */
const protocolCases = (protocol: 'UDP' | 'SCTP', traffic: (port: number) => Traffic): Case[] => [
  {
    name: "should support a 'default-deny-ingress' policy",
    pods: ['x/a', 'x/b', 'y/a', 'y/b'],
    policies: [policy('x', 'deny-all', {}, ingressRules())],
    steps: [{ traffic: traffic(80), expected: denyIngressToX }],
  },
  {
    name: 'should enforce policy based on Ports',
    pods: ['x/a', 'x/b', 'y/a', 'z/a'],
    policies: [port81FromY('allow-ingress-on-port-81-ns-x', protocol)],
    steps: [{ traffic: traffic(81), expected: notXNorZToXa }],
  },
  {
    name: 'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    pods: ['x/a', 'x/b', 'y/a'],
    policies: [allowYaToXa()],
    steps: [{ traffic: traffic(80), expected: onlyYaToXa }],
  },
];

describe('Netpol [LinuxOnly] NetworkPolicy between server and client using UDP', () => {
  for (const c of protocolCases('UDP', UDP)) it(c.name, () => run(c));
});

// The SCTP cases, on the policies' verdicts alone: podhop's scenario has no SCTP
// container ports, so nothing here says the pods would answer SCTP.
describe('Netpol [Feature:SCTPConnectivity] [LinuxOnly] NetworkPolicy between server and client using SCTP', () => {
  for (const c of protocolCases('SCTP', SCTP)) it(c.name, () => run(c));
});
