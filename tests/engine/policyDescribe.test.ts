/**
 * `kubectl describe networkpolicy`, held to kubectl's own test
 * (staging/src/k8s.io/kubectl/pkg/describe/describe_test.go TestDescribeNetworkPolicies),
 * the same object written as the YAML/JSON a user applies. Two differences are
 * kubectl's, not podhop's: describe.go now says "traffic not restricted by
 * destination" for an egress rule without `to` (the test predates that wording), and
 * metav1.Time decodes into the local zone, which podhop takes as UTC.
 */
import { describe, expect, it } from 'vitest';
import { describeNetworkPolicy, parseNetworkPolicy } from '../../src/engine/policy/index';
import { tabwrite } from '../../src/engine/policy/tabwriter';

const peers = [
  {
    podSelector: { matchLabels: { id: 'pod1', id2: 'pod2' } },
    namespaceSelector: { matchLabels: { id: 'ns1', id2: 'ns2' } },
  },
  { podSelector: { matchLabels: { id: 'app2', id2: 'app3' } } },
  { namespaceSelector: { matchLabels: { id: 'app2', id2: 'app3' } } },
  {
    namespaceSelector: {
      matchLabels: { id: 'app2', id2: 'app3' },
      matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar1', 'bar2'] }],
    },
  },
  { ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.3.0/24', '192.168.4.0/24'] } },
];
const ports = [{ port: 80 }, { port: 82, protocol: 'TCP' }];

const policy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: {
    name: 'network-policy-1',
    namespace: 'default',
    creationTimestamp: '2017-06-05T04:45:56Z',
  },
  spec: {
    podSelector: {
      matchLabels: { id1: 'app1', id2: 'app2' },
      matchExpressions: [
        { key: 'foo', operator: 'In', values: ['bar1', 'bar2'] },
        { key: 'foo2', operator: 'NotIn', values: ['bar1', 'bar2'] },
      ],
    },
    ingress: [{ ports, from: peers }, {}],
    egress: [{ ports, to: peers }, {}],
    policyTypes: ['Ingress', 'Egress'],
  },
};

const parsed = (o: unknown) => {
  const r = parseNetworkPolicy(o);
  if (!r.ok) throw new Error(r.error.text);
  return r.value;
};

/**
 * The ingress and the egress rules print alike but for From/To: the first with its
 * ports and its five peers, then the empty rule's ports.
 */
const firstRuleAndEmpty = (peer: 'From' | 'To') => `    To Port: 80/TCP
    To Port: 82/TCP
    ${peer}:
      NamespaceSelector: id=ns1,id2=ns2
      PodSelector: id=pod1,id2=pod2
    ${peer}:
      PodSelector: id=app2,id2=app3
    ${peer}:
      NamespaceSelector: id=app2,id2=app3
    ${peer}:
      NamespaceSelector: foo in (bar1,bar2),id=app2,id2=app3
    ${peer}:
      IPBlock:
        CIDR: 192.168.0.0/16
        Except: 192.168.3.0/24, 192.168.4.0/24
    ----------
    To Port: <any> (traffic allowed to all ports)`;

describe('kubectl describe networkpolicy', () => {
  it('prints TestDescribeNetworkPolicies’ object as kubectl does', () => {
    expect(describeNetworkPolicy(parsed(policy))).toBe(`Name:         network-policy-1
Namespace:    default
Created on:   2017-06-05 04:45:56 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     foo in (bar1,bar2),foo2 notin (bar1,bar2),id1=app1,id2=app2
  Allowing ingress traffic:
${firstRuleAndEmpty('From')}
    From: <any> (traffic not restricted by source)
  Allowing egress traffic:
${firstRuleAndEmpty('To')}
    To: <any> (traffic not restricted by destination)
  Policy Types: Ingress, Egress
`);
  });

  it('a default deny: empty podSelector, defaulted policyTypes, labels and annotations aligned', () => {
    const out = describeNetworkPolicy(
      parsed({
        metadata: {
          name: 'default-deny-ingress',
          namespace: 'x',
          labels: { team: 'db', app: 'api' },
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': '{}',
            owner: 'platform',
          },
        },
        spec: { podSelector: {} },
      }),
    );
    expect(out).toBe(`Name:         default-deny-ingress
Namespace:    x
Created on:   0001-01-01 00:00:00 +0000 UTC
Labels:       app=api
              team=db
Annotations:  owner: platform
Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    <none> (Selected pods are isolated for ingress connectivity)
  Not affecting egress traffic
  Policy Types: Ingress
`);
  });

  it('port ranges, a protocol without port, an ipBlock without except', () => {
    const out = describeNetworkPolicy(
      parsed({
        metadata: { name: 'egress-range', namespace: 'x' },
        spec: {
          podSelector: { matchLabels: { role: 'db' } },
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ ipBlock: { cidr: '10.0.0.0/24' } }],
              ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }, { protocol: 'UDP' }],
            },
          ],
        },
      }),
      { creationTimestamp: '2024-05-01T10:20:30.250Z' },
    );
    expect(out.split('\n').slice(2, 3)).toEqual(['Created on:   2024-05-01 10:20:30.25 +0000 UTC']);
    expect(out.split('\n').slice(5)).toEqual([
      'Spec:',
      '  PodSelector:     role=db',
      '  Not affecting ingress traffic',
      '  Allowing egress traffic:',
      '    To Port Range: 32000-32768/TCP',
      '    To Port: <nil>/UDP',
      '    To:',
      '      IPBlock:',
      '        CIDR: 10.0.0.0/24',
      '        Except: ',
      '  Policy Types: Egress',
      '',
    ]);
  });
});

describe('text/tabwriter as kubectl sets it up (padding 2)', () => {
  it('a column lasts while consecutive lines have a cell in it', () => {
    expect(tabwrite('a:\tx\nlonger:\ty\nbreak\nb:\tz')).toBe(
      'a:       x\nlonger:  y\nbreak\nb:  z',
    );
  });
  it('the cell after the last tab is not part of a column', () => {
    expect(tabwrite('k\tv\tw\nkey\tvalue')).toBe('k    v  w\nkey  value');
  });
});
