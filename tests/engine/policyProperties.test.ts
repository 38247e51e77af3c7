/**
 * Properties of NetworkPolicy that hold for any set of policies (issue 11's
 * "Done when"), over random policies on the e2e suite's x/y/z × a/b/c model:
 * policies only ever add allowances to an isolated pod, a pod no policy selects
 * is never blocked, and the matrix says what the verdicts say.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clusterPolicies,
  connectivity,
  egressVerdict,
  ingressVerdict,
  reachabilityTable,
  type PolicyScenario,
  type Traffic,
} from '../../src/engine/policy/index';

const MODEL = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'netpol', 'model.json'), 'utf8'),
) as PolicyScenario;

const namespace = fc.constantFrom('x', 'y', 'z');
const selector = fc.oneof(
  fc.constant({}),
  fc.constantFrom('a', 'b', 'c').map((p) => ({ matchLabels: { pod: p } })),
  fc
    .record({
      operator: fc.constantFrom('In', 'NotIn'),
      values: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
    })
    .map((e) => ({ matchExpressions: [{ key: 'pod', ...e }] })),
);
const nsSelector = fc.oneof(
  fc.constant({}),
  namespace.map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })),
);
const peer = fc.oneof(
  selector.map((s) => ({ podSelector: s })),
  nsSelector.map((s) => ({ namespaceSelector: s })),
  fc.tuple(nsSelector, selector).map(([n, p]) => ({ namespaceSelector: n, podSelector: p })),
  fc
    .constantFrom('10.244.1.0/24', '10.244.0.0/16', '10.244.2.2/32')
    .map((cidr) => ({ ipBlock: { cidr } })),
);
const port = fc.oneof(
  fc.constantFrom(80, 81).map((p) => ({ port: p })),
  fc.constantFrom('serve-80-tcp', 'serve-81-udp').map((p) => ({ port: p })),
  fc.constant({ port: 80, endPort: 81, protocol: 'TCP' }),
  fc.constant({ protocol: 'UDP' }),
);
const rule = (peersKey: 'from' | 'to') =>
  fc
    .record({ peers: fc.array(peer, { maxLength: 2 }), ports: fc.array(port, { maxLength: 2 }) })
    .map(({ peers, ports }) => ({ [peersKey]: peers, ports }));
const policies = fc
  .array(
    fc.record({
      namespace,
      podSelector: selector,
      policyTypes: fc.subarray(['Ingress', 'Egress']),
      ingress: fc.array(rule('from'), { maxLength: 2 }),
      egress: fc.array(rule('to'), { maxLength: 2 }),
    }),
    { maxLength: 4 },
  )
  .map((ps) =>
    ps.map(({ namespace: ns, ...spec }, i) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `p${i}`, namespace: ns },
      spec,
    })),
  );
const traffic = fc.constantFrom<Traffic>(
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 81 },
  { protocol: 'UDP', port: 81 },
);

const allowEverything = ['x', 'y', 'z'].map((ns) => ({
  metadata: { name: 'allow-everything', namespace: ns },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
}));
const cluster = (ps: unknown[]) => {
  const cp = clusterPolicies({ ...MODEL, networkPolicies: ps });
  expect(cp.refused).toEqual([]);
  return cp;
};

// a minute each: on a loaded 2-core machine running the whole suite, 100 runs can take more than vitest's 5 s
describe('NetworkPolicy properties', { timeout: 60_000 }, () => {
  it('adding an allow-everything policy never blocks a pair (and unblocks every one)', () => {
    fc.assert(
      fc.property(policies, traffic, (ps, t) => {
        const withAll = reachabilityTable(cluster([...ps, ...allowEverything]).engine, t);
        expect(withAll.values.flat().every(Boolean)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('policies are additive: for a pod already isolated, another policy only adds what it allows', () => {
    fc.assert(
      fc.property(policies, policies, traffic, (ps, more, t) => {
        const before = cluster(ps);
        const renamed = more.map((p, i) => ({
          ...p,
          metadata: { ...p.metadata, name: `more${i}` },
        }));
        const after = cluster([...ps, ...renamed]);
        for (const pod of before.world.pods)
          for (const other of before.world.pods) {
            const peer = { kind: 'pod', pod: other } as const;
            if (
              before.engine.isolating(pod, 'ingress').length > 0 &&
              ingressVerdict(before.engine, peer, pod, t).allowed
            )
              expect(ingressVerdict(after.engine, peer, pod, t).allowed).toBe(true);
            if (
              before.engine.isolating(pod, 'egress').length > 0 &&
              egressVerdict(before.engine, pod, peer, t).allowed
            )
              expect(egressVerdict(after.engine, pod, peer, t).allowed).toBe(true);
          }
      }),
      { numRuns: 100 },
    );
  });

  it('a pod selected by no policy of a direction is never blocked in that direction', () => {
    fc.assert(
      fc.property(policies, traffic, (ps, t) => {
        const cp = cluster(ps);
        for (const pod of cp.world.pods)
          for (const other of cp.world.pods) {
            const peer = { kind: 'pod', pod: other } as const;
            if (cp.engine.isolating(pod, 'ingress').length === 0)
              expect(ingressVerdict(cp.engine, peer, pod, t).allowed).toBe(true);
            if (cp.engine.isolating(pod, 'egress').length === 0)
              expect(egressVerdict(cp.engine, pod, peer, t).allowed).toBe(true);
          }
      }),
      { numRuns: 100 },
    );
  });

  it('the matrix says what connectivity() says for every pair, and a denial always names its policies', () => {
    fc.assert(
      fc.property(policies, traffic, (ps, t) => {
        const cp = cluster(ps);
        const table = reachabilityTable(cp.engine, t);
        table.froms.forEach((f, i) =>
          table.tos.forEach((to, j) => {
            const c = connectivity(
              cp.engine,
              { kind: 'pod', pod: cp.world.pod(f)! },
              { kind: 'pod', pod: cp.world.pod(to)! },
              t,
            );
            expect(c.allowed).toBe(table.values[i]![j]);
            for (const v of [c.egress, c.ingress])
              if (v && !v.allowed) expect(v.isolatedBy.length).toBeGreaterThan(0);
          }),
        );
      }),
      { numRuns: 100 },
    );
  });
});
