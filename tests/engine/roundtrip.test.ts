import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeLink,
  encodeLink,
  loadScenarioDocument,
  parseScenarioJson,
  scenarioToJson,
  type Scenario,
} from '../../src/engine/index';
import { scenarioFromKubeText, scenarioToKubeYaml } from '../../src/engine/kube/index';
import { arbScenario } from './generate';

/**
 * Issue 8: every scenario survives export → import, as a JSON file, as a share
 * link and as Kubernetes YAML. The generator adds to arbScenario's clusters what
 * a user or an import puts on top: namespaces with labels, pods moved into them
 * (two pods of one name in two namespaces), Services in any namespace, labels,
 * positions, shared PID namespaces, a reported phase, NetworkPolicies verbatim,
 * and the cluster flags that are stored only when set.
 */
const dnsLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const labelMap = fc.dictionary(
  fc.constantFrom('app', 'tier', 'team', 'app.kubernetes.io/name'),
  fc.stringMatching(/^[a-z0-9]{1,8}$/),
  { maxKeys: 2 },
);
const position = fc.option(
  fc.record({ x: fc.integer({ min: -5000, max: 5000 }), y: fc.integer({ min: -5000, max: 5000 }) }),
  { nil: undefined },
);

function arbRichScenario(): fc.Arbitrary<Scenario> {
  return arbScenario().chain((base) =>
    fc
      .record({
        namespaces: fc.uniqueArray(
          fc
            .record({ name: dnsLabel, labels: labelMap })
            .filter((n) => n.name !== 'default' && n.name !== 'kube-system'),
          { selector: (n) => n.name, maxLength: 3 },
        ),
        podExtras: fc.array(
          fc.record({
            into: fc.nat(),
            twin: fc.boolean(),
            labels: labelMap,
            position,
            share: fc.boolean(),
            phase: fc.option(fc.constantFrom('Running', 'Pending'), { nil: undefined }),
          }),
          { minLength: base.pods.length, maxLength: base.pods.length },
        ),
        services: fc.uniqueArray(
          fc.record({
            name: dnsLabel,
            into: fc.nat(),
            // at least one label: the importer leaves out a Service without a selector (as it
            // leaves out the API server's own default/kubernetes), so one would not come back
            selector: labelMap.filter((m) => Object.keys(m).length > 0),
            ports: fc.uniqueArray(
              fc.record({
                port: fc.integer({ min: 1, max: 65535 }),
                targetPort: fc.integer({ min: 1, max: 65535 }),
                protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
                name: fc.option(dnsLabel, { nil: undefined }),
              }),
              { selector: (p) => `${p.port}/${p.protocol}`, minLength: 1, maxLength: 2 },
            ),
            position,
          }),
          { selector: (v) => v.name, maxLength: 3 },
        ),
        policies: fc.array(
          fc.record({ name: dnsLabel, into: fc.nat(), app: fc.stringMatching(/^[a-z]{1,5}$/) }),
          { maxLength: 2 },
        ),
        bridgeNf: fc.boolean(),
        subnetPositions: fc.array(position, {
          minLength: base.subnets.length,
          maxLength: base.subnets.length,
        }),
      })
      .map((r): Scenario => {
        const nsNames = ['default', ...r.namespaces.map((n) => n.name)];
        const nsOf = (i: number) => nsNames[i % nsNames.length]!;
        return {
          ...base,
          cluster: { ...base.cluster, ...(r.bridgeNf ? {} : { bridgeNfCallIptables: false }) },
          subnets: base.subnets.map((x, i) => ({ ...x, position: r.subnetPositions[i] })),
          pods: base.pods.map((p, i) => {
            const x = r.podExtras[i]!;
            const ns = nsOf(x.into);
            return {
              ...p,
              // a twin takes the name of the pod before it, in another namespace
              name:
                x.twin && i > 0 && ns !== nsOf(r.podExtras[i - 1]!.into)
                  ? base.pods[i - 1]!.name
                  : p.name,
              ...(ns === 'default' ? {} : { namespace: ns }),
              labels: { ...p.labels, ...x.labels },
              position: x.position,
              ...(x.share ? { shareProcessNamespace: true } : {}),
              ...(x.phase ? { phase: x.phase } : {}),
            };
          }),
          services: r.services.map((v) => ({
            name: v.name as Scenario['services'][number]['name'],
            ...(nsOf(v.into) === 'default' ? {} : { namespace: nsOf(v.into) }),
            selector: v.selector,
            ports: v.ports,
            position: v.position,
          })),
          ...(r.namespaces.length ? { namespaces: r.namespaces } : {}),
          ...(r.policies.length
            ? {
                networkPolicies: r.policies.map((p) => ({
                  apiVersion: 'networking.k8s.io/v1',
                  kind: 'NetworkPolicy',
                  metadata: { name: p.name, namespace: nsOf(p.into) },
                  spec: {
                    podSelector: { matchLabels: { app: p.app } },
                    policyTypes: ['Ingress'],
                    ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 80 }] }],
                  },
                })),
              }
            : {}),
        };
      }),
  );
}

/** What the loader makes of a scenario: the value every import is compared with. */
function loaded(s: Scenario): Scenario {
  const r = loadScenarioDocument(JSON.parse(JSON.stringify(s)));
  if (!r.ok) throw new Error(r.error.text);
  return r.value;
}

const TIMEOUT = 60_000;

describe('every generated scenario survives export → import', () => {
  it(
    'as a JSON file',
    () => {
      fc.assert(
        fc.property(arbRichScenario(), (s) => {
          const want = loaded(s);
          expect(parseScenarioJson(scenarioToJson(want))).toEqual({ ok: true, value: want });
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT,
  );

  it(
    'as a share link',
    () => {
      fc.assert(
        fc.property(arbRichScenario(), (s) => {
          const want = loaded(s);
          expect(decodeLink(encodeLink({ scenario: want }))).toEqual({
            ok: true,
            value: { scenario: want },
          });
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT,
  );

  it(
    'as Kubernetes YAML (manifests plus the PodhopCluster document)',
    () => {
      fc.assert(
        fc.property(arbRichScenario(), (s) => {
          const want = loaded(s);
          const back = scenarioFromKubeText(scenarioToKubeYaml(want));
          if (!back.ok) throw new Error(back.error.text);
          expect(loaded(back.value.document as unknown as Scenario)).toEqual(want);
        }),
        { numRuns: 100 },
      );
    },
    TIMEOUT,
  );
});
