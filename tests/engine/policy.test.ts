/**
 * NetworkPolicy semantics, one behaviour a block, on the e2e suite's model
 * (tests/fixtures/netpol/model.json: namespaces x, y, z; pods a, b, c; named
 * ports serve-80-tcp, serve-81-udp …), and the sentence each verdict carries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ip } from '../../src/engine/index';
import {
  clusterPolicies,
  connectivity,
  egressVerdict,
  endpoint,
  ingressVerdict,
  printTruthTable,
  reachabilityTable,
  selectorMatches,
  type PolicyScenario,
  type Traffic,
} from '../../src/engine/policy/index';

type Json = Record<string, unknown>;
const MODEL = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'netpol', 'model.json'), 'utf8'),
) as PolicyScenario;

function cluster(policies: Json[], scenario: PolicyScenario = MODEL) {
  const cp = clusterPolicies({ ...scenario, networkPolicies: policies });
  const pod = (key: string) => cp.world.pod(key)!;
  const to = (key: string) => endpoint(cp.world, key)!;
  return { cp, pod, to };
}
const np = (namespace: string, name: string, spec: Json): Json => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});
const tcp = (port: number): Traffic => ({ protocol: 'TCP', port });

describe('isolation: a pod is isolated for a direction only by a policy of that type selecting it', () => {
  it('a pod no policy selects allows every connection, in both directions', () => {
    const { cp, pod, to } = cluster([
      np('x', 'deny-all', { podSelector: { matchLabels: { pod: 'a' } } }),
    ]);
    expect(ingressVerdict(cp.engine, to('y/a'), pod('x/b'), tcp(80))).toEqual({
      allowed: true,
      reason: 'notIsolated',
      direction: 'ingress',
      text: 'allowed: x/b is not isolated for ingress (no NetworkPolicy with policyType Ingress selects it)',
    });
  });

  it('policyTypes defaults to Ingress: a policy without it leaves egress alone', () => {
    const { cp, pod, to } = cluster([np('x', 'deny', { podSelector: {} })]);
    expect(cp.policies[0]!.policyTypes).toEqual(['Ingress']);
    expect(egressVerdict(cp.engine, pod('x/a'), to('y/a'), tcp(80)).allowed).toBe(true);
    expect(ingressVerdict(cp.engine, to('y/a'), pod('x/a'), tcp(80)).allowed).toBe(false);
  });

  it('spec.egress with rules adds Egress to the default; an empty spec.egress does not (len(Egress) != 0)', () => {
    const { cp } = cluster([
      np('x', 'with-rules', {
        podSelector: {},
        egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
      }),
      np('x', 'empty', { podSelector: {}, egress: [] }),
    ]);
    expect(cp.policies.map((p) => p.policyTypes)).toEqual([['Ingress', 'Egress'], ['Ingress']]);
  });

  it('policyTypes [Egress] alone does not isolate for ingress', () => {
    const { cp, pod, to } = cluster([np('x', 'eg', { podSelector: {}, policyTypes: ['Egress'] })]);
    expect(ingressVerdict(cp.engine, to('y/a'), pod('x/a'), tcp(80)).allowed).toBe(true);
    expect(egressVerdict(cp.engine, pod('x/a'), to('y/a'), tcp(80)).allowed).toBe(false);
  });

  it('the engine lists the policies isolating a pod, and the pods a policy selects', () => {
    const { cp, pod } = cluster([
      np('x', 'deny-all', { podSelector: {} }),
      np('x', 'allow-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{}] }),
    ]);
    expect(cp.engine.isolating(pod('x/a'), 'ingress').map((p) => p.name)).toEqual([
      'deny-all',
      'allow-b',
    ]);
    expect(cp.engine.selected(cp.policies[1]!).map((p) => p.key)).toEqual(['x/a']);
  });
});

describe('the verdict names the policy, the rule and the peer that decided it', () => {
  const policies = [
    np('x', 'deny-all', { podSelector: {} }),
    np('x', 'allow-b', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }],
    }),
  ];

  it('allowed by the first matching rule, counted from 1, with its field path', () => {
    const { cp, pod, to } = cluster(policies);
    expect(ingressVerdict(cp.engine, to('x/b'), pod('x/a'), tcp(80))).toEqual({
      allowed: true,
      reason: 'rule',
      direction: 'ingress',
      policy: 'x/allow-b',
      rule: 0,
      field: 'spec.ingress[0]',
      peer: 0,
      text: 'allowed by x/allow-b ingress rule 1 (from podSelector pod=b)',
    });
  });

  it('denied by default, naming every policy that isolates the pod', () => {
    const { cp, pod, to } = cluster(policies);
    const v = ingressVerdict(cp.engine, to('y/b'), pod('x/a'), tcp(80));
    expect(v).toEqual({
      allowed: false,
      reason: 'defaultDeny',
      direction: 'ingress',
      isolatedBy: ['x/deny-all', 'x/allow-b'],
      text: 'denied by default: x/a is isolated for ingress by x/deny-all and x/allow-b, and no rule of them allows y/b on TCP 80',
    });
  });

  it('an egress denial names the destination, an address when no pod holds it', () => {
    const { cp, pod } = cluster([
      np('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
    ]);
    const v = egressVerdict(cp.engine, pod('x/a'), endpoint(cp.world, ip('192.0.2.10'))!, {
      protocol: 'UDP',
      port: 53,
    });
    expect(v.text).toBe(
      'denied by default: x/a is isolated for egress by x/deny-egress, and no rule of it allows 192.0.2.10 on UDP 53',
    );
  });

  it('the port that matched is said with the peer; a rule without peers allows any source', () => {
    const { cp, pod, to } = cluster([
      np('x', 'web', {
        podSelector: {},
        ingress: [
          { ports: [{ port: 'serve-80-tcp' }] },
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }],
            ports: [{ port: 81, endPort: 90, protocol: 'UDP' }],
          },
        ],
      }),
    ]);
    expect(ingressVerdict(cp.engine, to('z/a'), pod('x/a'), tcp(80)).text).toBe(
      'allowed by x/web ingress rule 1 (from any source, on port serve-80-tcp, TCP 80)',
    );
    expect(
      ingressVerdict(cp.engine, to('y/c'), pod('x/a'), { protocol: 'UDP', port: 81 }).text,
    ).toBe(
      'allowed by x/web ingress rule 2 (from namespaceSelector kubernetes.io/metadata.name=y, on UDP 81-90)',
    );
  });
});

describe('peers', () => {
  const ingressFrom = (peer: Json) => [
    np('x', 'p', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [peer] }] }),
  ];
  const reaches = (policies: Json[], from: string) => {
    const { cp, pod, to } = cluster(policies);
    return ingressVerdict(cp.engine, to(from), pod('x/a'), tcp(80)).allowed;
  };

  it('podSelector alone selects pods of the policy’s own namespace only', () => {
    const p = ingressFrom({ podSelector: { matchLabels: { pod: 'b' } } });
    expect([reaches(p, 'x/b'), reaches(p, 'y/b')]).toEqual([true, false]);
  });

  it('namespaceSelector alone selects every pod of the selected namespaces', () => {
    const p = ingressFrom({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } },
    });
    expect([reaches(p, 'y/a'), reaches(p, 'y/c'), reaches(p, 'x/b')]).toEqual([true, true, false]);
  });

  it('both in one peer select those pods of those namespaces (AND); in two peers, either (OR)', () => {
    const and = ingressFrom({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } },
      podSelector: { matchLabels: { pod: 'b' } },
    });
    expect([reaches(and, 'y/b'), reaches(and, 'y/a'), reaches(and, 'x/b')]).toEqual([
      true,
      false,
      false,
    ]);
    const or = [
      np('x', 'p', {
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } },
              { podSelector: { matchLabels: { pod: 'b' } } },
            ],
          },
        ],
      }),
    ];
    expect([reaches(or, 'y/a'), reaches(or, 'x/b'), reaches(or, 'z/b')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('a namespace matches by its own labels and the kubernetes.io/metadata.name the API server adds', () => {
    const scenario = {
      ...MODEL,
      namespaces: [{ name: 'x' }, { name: 'y', labels: { team: 'db' } }, { name: 'z' }],
    };
    const p = ingressFrom({ namespaceSelector: { matchLabels: { team: 'db' } } });
    const { cp, pod, to } = cluster(p, scenario);
    expect(ingressVerdict(cp.engine, to('y/a'), pod('x/a'), tcp(80)).allowed).toBe(true);
    expect(ingressVerdict(cp.engine, to('z/a'), pod('x/a'), tcp(80)).allowed).toBe(false);
    expect(cp.world.namespaceLabels.get('default')).toEqual({
      'kubernetes.io/metadata.name': 'default',
    });
  });

  it('ipBlock matches by address, pods by their pod IP, and except carves holes', () => {
    const { cp, pod, to } = cluster(
      ingressFrom({ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }),
    );
    // x/c is on node1 (10.244.1.3), y/a on node2 (10.244.2.3)
    expect(ingressVerdict(cp.engine, to('x/c'), pod('x/a'), tcp(80)).text).toBe(
      'allowed by x/p ingress rule 1 (from ipBlock 10.244.0.0/16 except 10.244.2.0/24)',
    );
    expect(ingressVerdict(cp.engine, to('y/a'), pod('x/a'), tcp(80)).allowed).toBe(false);
    const outside = endpoint(cp.world, ip('192.0.2.1'))!;
    expect(ingressVerdict(cp.engine, outside, pod('x/a'), tcp(80)).allowed).toBe(false);
    expect(
      ingressVerdict(cp.engine, endpoint(cp.world, ip('10.244.1.200'))!, pod('x/a'), tcp(80))
        .allowed,
    ).toBe(true);
  });

  it('a selector peer never matches an address no pod holds', () => {
    const { cp, pod } = cluster(ingressFrom({ namespaceSelector: {} }));
    expect(
      ingressVerdict(cp.engine, endpoint(cp.world, ip('192.0.2.1'))!, pod('x/a'), tcp(80)).allowed,
    ).toBe(false);
  });

  it('an IPv6 block is accepted and matches no IPv4 pod', () => {
    const { cp, pod, to } = cluster(ingressFrom({ ipBlock: { cidr: '::/0' } }));
    expect(cp.refused).toEqual([]);
    expect(ingressVerdict(cp.engine, to('y/a'), pod('x/a'), tcp(80)).allowed).toBe(false);
  });
});

describe('ports and protocols', () => {
  const ingressPorts = (ports: Json[]) => [np('x', 'p', { podSelector: {}, ingress: [{ ports }] })];
  const allowed = (policies: Json[], t: Traffic, dst = 'x/a') => {
    const { cp, pod, to } = cluster(policies);
    return ingressVerdict(cp.engine, to('y/a'), pod(dst), t).allowed;
  };

  it('a port without protocol is TCP', () => {
    const p = ingressPorts([{ port: 80 }]);
    expect([allowed(p, tcp(80)), allowed(p, { protocol: 'UDP', port: 80 })]).toEqual([true, false]);
  });

  it('endPort opens the range port..endPort inclusive', () => {
    const p = ingressPorts([{ port: 8000, endPort: 8080 }]);
    expect([7999, 8000, 8080, 8081].map((n) => allowed(p, tcp(n)))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('a protocol without port allows every port of that protocol only', () => {
    const p = ingressPorts([{ protocol: 'UDP' }]);
    expect([allowed(p, { protocol: 'UDP', port: 9 }), allowed(p, tcp(9))]).toEqual([true, false]);
  });

  it('a named port resolves on the destination pod, by name and protocol', () => {
    const p = ingressPorts([{ port: 'serve-81-udp', protocol: 'UDP' }]);
    expect(allowed(p, { protocol: 'UDP', port: 81 })).toBe(true);
    expect(allowed(p, { protocol: 'UDP', port: 80 })).toBe(false);
    // the name exists, but for UDP: a TCP rule naming it matches nothing
    expect(allowed(ingressPorts([{ port: 'serve-81-udp' }]), tcp(81))).toBe(false);
  });

  it('an egress named port resolves on the destination; an outside address has none', () => {
    const { cp, pod, to } = cluster([
      np('x', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 'serve-80-tcp' }] }],
      }),
    ]);
    expect(egressVerdict(cp.engine, pod('x/a'), to('y/b'), tcp(80)).allowed).toBe(true);
    expect(
      egressVerdict(cp.engine, pod('x/a'), endpoint(cp.world, ip('192.0.2.1'))!, tcp(80)).allowed,
    ).toBe(false);
  });

  it('ICMP matches only rules that list no ports', () => {
    const icmp: Traffic = { protocol: 'ICMP' };
    expect(allowed(ingressPorts([{ port: 80 }]), icmp)).toBe(false);
    expect(allowed([np('x', 'p', { podSelector: {}, ingress: [{}] })], icmp)).toBe(true);
  });
});

describe('what no policy can block', () => {
  it('a pod talking to itself', () => {
    const { cp, pod, to } = cluster([
      np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    expect(connectivity(cp.engine, to('x/a'), to('x/a'), tcp(80)).allowed).toBe(true);
    expect(ingressVerdict(cp.engine, to('x/a'), pod('x/a'), tcp(80)).text).toBe(
      'allowed: x/a talks to itself, which a pod cannot block',
    );
  });

  it('traffic from and to the pod’s own node', () => {
    const { cp, pod } = cluster([
      np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    const node1 = endpoint(cp.world, ip('10.100.0.2'))!;
    const node2 = endpoint(cp.world, ip('10.100.0.3'))!;
    expect(ingressVerdict(cp.engine, node1, pod('x/a'), tcp(80)).text).toBe(
      "allowed: traffic from x/a's own node node1 is always allowed",
    );
    expect(egressVerdict(cp.engine, pod('x/a'), node1, tcp(80)).allowed).toBe(true);
    expect(ingressVerdict(cp.engine, node2, pod('x/a'), tcp(80)).allowed).toBe(false);
  });
});

describe('connectivity: egress at the source AND ingress at the destination', () => {
  it('both verdicts are given; the client side can deny what the server allows', () => {
    const { cp, to } = cluster([
      np('x', 'no-egress', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'] }),
      np('y', 'allow-all', { podSelector: {}, ingress: [{}] }),
    ]);
    const c = connectivity(cp.engine, to('x/a'), to('y/a'), tcp(80));
    expect(c.allowed).toBe(false);
    expect(c.egress?.text).toBe(
      'denied by default: x/a is isolated for egress by x/no-egress, and no rule of it allows y/a on TCP 80',
    );
    expect(c.ingress?.text).toBe('allowed by y/allow-all ingress rule 1 (from any source)');
  });

  it('an outside source has no egress verdict, an outside destination no ingress verdict', () => {
    const { cp, to } = cluster([]);
    const out = endpoint(cp.world, ip('192.0.2.1'))!;
    expect(Object.keys(connectivity(cp.engine, out, to('x/a'), tcp(80)))).toEqual([
      'allowed',
      'ingress',
    ]);
    expect(Object.keys(connectivity(cp.engine, to('x/a'), out, tcp(80)))).toEqual([
      'allowed',
      'egress',
    ]);
  });

  it('a pod’s own IP stands for the pod', () => {
    const { cp } = cluster([]);
    expect(endpoint(cp.world, ip('10.244.1.2'))).toEqual({ kind: 'pod', pod: cp.world.pod('x/a') });
    expect(endpoint(cp.world, 'nowhere/pod')).toBeUndefined();
  });
});

describe('label selectors (apimachinery labels semantics)', () => {
  const labels = { pod: 'a', tier: 'web' };
  const sel = (matchExpressions: Json[], matchLabels = {}) =>
    selectorMatches({ matchLabels, matchExpressions: matchExpressions as never }, labels);
  it('In, NotIn, Exists, DoesNotExist; NotIn also matches a missing key', () => {
    expect(sel([{ key: 'pod', operator: 'In', values: ['a', 'b'] }])).toBe(true);
    expect(sel([{ key: 'pod', operator: 'NotIn', values: ['a'] }])).toBe(false);
    expect(sel([{ key: 'zone', operator: 'NotIn', values: ['a'] }])).toBe(true);
    expect(sel([{ key: 'zone', operator: 'In', values: ['a'] }])).toBe(false);
    expect(sel([{ key: 'tier', operator: 'Exists', values: [] }])).toBe(true);
    expect(sel([{ key: 'tier', operator: 'DoesNotExist', values: [] }])).toBe(false);
  });
  it('matchLabels and matchExpressions must all hold; the empty selector matches everything', () => {
    expect(sel([{ key: 'tier', operator: 'Exists', values: [] }], { pod: 'b' })).toBe(false);
    expect(sel([], {})).toBe(true);
  });
});

describe('a policy the API server would refuse is not applied', () => {
  it('the rest still is, and the refusal is in kubectl’s words', () => {
    const { cp, pod, to } = cluster([
      np('x', 'bad', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }],
      }),
      np('y', 'deny', { podSelector: {} }),
    ]);
    expect(cp.policies.map((p) => p.name)).toEqual(['deny']);
    expect(cp.refused).toEqual([
      {
        kind: 'invalid',
        object: 'networkpolicy/x/bad',
        text: 'The NetworkPolicy "bad" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        errors: [
          expect.objectContaining({
            type: 'invalid',
            field: 'spec.ingress[0].from[0].ipBlock.cidr',
          }),
        ],
      },
    ]);
    expect(ingressVerdict(cp.engine, to('y/a'), pod('x/a'), tcp(80)).allowed).toBe(true);
  });

  it('one in a namespace that does not exist, and a second of the same name', () => {
    const { cp } = cluster([
      np('nope', 'p', { podSelector: {} }),
      np('x', 'p', { podSelector: {} }),
      np('x', 'p', { podSelector: {}, ingress: [{}] }),
    ]);
    expect(cp.refused.map((r) => r.text)).toEqual([
      'Error from server (NotFound): namespaces "nope" not found',
      'Error from server (AlreadyExists): networkpolicies.networking.k8s.io "p" already exists',
    ]);
    expect(cp.policies).toHaveLength(1);
  });

  it('a policy without namespace goes to default, as kubectl apply puts it', () => {
    const { cp } = cluster([{ metadata: { name: 'p' }, spec: { podSelector: {} } }]);
    expect(cp.policies[0]!.namespace).toBe('default');
  });
});

describe('the truth table (test/e2e/network/netpol/truthtable.go PrettyPrint)', () => {
  it('every pod with an IP against every pod, `.` connected, `X` blocked, tab-separated', () => {
    const { cp } = cluster([
      np('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    const t = reachabilityTable(cp.engine, tcp(80));
    expect(t.froms).toHaveLength(9);
    expect(printTruthTable(t).split('\n').slice(0, 3)).toEqual([
      '-\tx/a\tx/b\tx/c\ty/a\ty/b\ty/c\tz/a\tz/b\tz/c',
      'x/a\t.\tX\tX\tX\tX\tX\tX\tX\tX',
      'x/b\tX\t.\tX\tX\tX\tX\tX\tX\tX',
    ]);
    expect(printTruthTable(t).split('\n')[4]).toBe('y/a\tX\tX\tX\t.\t.\t.\t.\t.\t.');
  });

  it('a pod without an IP has no network and is left out', () => {
    const scenario = {
      ...MODEL,
      pods: MODEL.pods.map((p, i) => (i === 0 ? { ...p, ip: undefined } : p)),
    };
    const { cp } = cluster([], scenario);
    expect(reachabilityTable(cp.engine, tcp(80)).froms[0]).toBe('x/b');
  });
});
