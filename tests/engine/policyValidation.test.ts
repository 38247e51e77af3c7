/**
 * A NetworkPolicy the API server refuses, refused in its words: decoding
 * (encoding/json's type errors, strict decoding's unknown fields), defaulting
 * (pkg/apis/networking/v1/defaults.go) and ValidateNetworkPolicy
 * (pkg/apis/networking/validation/validation.go) with apimachinery's
 * field.Error text, as kubectl prints an Invalid status.
 */
import { describe, expect, it } from 'vitest';
import { parseNetworkPolicy } from '../../src/engine/policy/parse';

type Json = Record<string, unknown>;
const refused = (spec: Json, metadata: Json = { name: 'p', namespace: 'x' }) => {
  const r = parseNetworkPolicy({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata,
    spec,
  });
  return r.ok ? 'accepted' : r.error.text;
};
const fromPeer = (peer: Json) => ({ podSelector: {}, ingress: [{ from: [peer] }] });
const HEAD = 'The NetworkPolicy "p" is invalid: ';

describe('ipBlock (ValidateIPBlock, IsValidCIDRForLegacyField)', () => {
  it('a CIDR that does not parse', () => {
    expect(refused(fromPeer({ ipBlock: { cidr: '10.0.0.0/33' } }))).toBe(
      `${HEAD}spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
    );
  });

  it('host bits and leading zeros, refused by the strict checks on by default since 1.36 (KEP-4858)', () => {
    expect(refused(fromPeer({ ipBlock: { cidr: '10.0.0.1/24' } }))).toBe(
      `${HEAD}spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.1/24": must not have bits set beyond the prefix length`,
    );
    expect(refused(fromPeer({ ipBlock: { cidr: '010.0.0.0/8' } }))).toBe(
      `${HEAD}spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "010.0.0.0/8": must not have leading 0s in IP or prefix length`,
    );
  });

  it('an empty cidr is required', () => {
    expect(refused(fromPeer({ ipBlock: { cidr: '' } }))).toBe(
      `${HEAD}spec.ingress[0].from[0].ipBlock.cidr: Required value`,
    );
  });

  it('every except must be a strict subset of cidr; all errors are listed', () => {
    expect(
      refused({
        egress: [
          {
            to: [
              {
                ipBlock: {
                  cidr: '10.0.0.0/8',
                  except: ['10.0.0.0/8', '11.0.0.0/16', '10.1.0.0/16', 'x'],
                },
              },
            ],
          },
        ],
      }),
    ).toBe(
      [
        HEAD,
        '* spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
        '* spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
        '* spec.egress[0].to[0].ipBlock.except[3]: Invalid value: "x": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      ].join('\n'),
    );
  });

  it('IPv6 blocks are validated the same way', () => {
    expect(refused(fromPeer({ ipBlock: { cidr: '::/0' } }))).toBe('accepted');
    expect(
      refused(fromPeer({ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8::/48'] } })),
    ).toBe('accepted');
    expect(refused(fromPeer({ ipBlock: { cidr: '2001:db8::1/64' } }))).toBe(
      `${HEAD}spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "2001:db8::1/64": must not have bits set beyond the prefix length`,
    );
  });
});

describe('peers (ValidateNetworkPolicyPeer)', () => {
  it('a peer must say something', () => {
    expect(refused(fromPeer({}))).toBe(
      `${HEAD}spec.ingress[0].from[0]: Required value: must specify a peer`,
    );
  });

  it('ipBlock goes alone', () => {
    expect(refused(fromPeer({ namespaceSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }))).toBe(
      `${HEAD}spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer`,
    );
  });

  it('podSelector and namespaceSelector together are one peer', () => {
    expect(
      refused(fromPeer({ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'b' } } })),
    ).toBe('accepted');
  });
});

describe('ports (ValidateNetworkPolicyPort)', () => {
  const ports = (...p: Json[]) => ({ ingress: [{ ports: p }] });

  it('endPort below port', () => {
    expect(refused(ports({ port: 81, endPort: 80 }))).toBe(
      `${HEAD}spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to \`port\``,
    );
  });

  it('endPort only with a numeric port', () => {
    expect(refused(ports({ port: 'http', endPort: 90 }, { endPort: 9 }))).toBe(
      [
        HEAD,
        '* spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
        '* spec.ingress[0].ports[1].endPort: Invalid value: 9: may not be specified when `port` is not specified',
      ].join('\n'),
    );
  });

  it('port numbers and names', () => {
    expect(refused(ports({ port: 0 }, { port: 65536, endPort: 65537 }))).toBe(
      [
        HEAD,
        '* spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        '* spec.ingress[0].ports[1].port: Invalid value: 65536: must be between 1 and 65535, inclusive',
        '* spec.ingress[0].ports[1].endPort: Invalid value: 65537: must be between 1 and 65535, inclusive',
      ].join('\n'),
    );
    expect(refused(ports({ port: 'Bad--Name-' }))).toBe(
      [
        HEAD,
        '* spec.ingress[0].ports[0].port: Invalid value: "Bad--Name-": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        '* spec.ingress[0].ports[0].port: Invalid value: "Bad--Name-": must not contain consecutive hyphens',
        '* spec.ingress[0].ports[0].port: Invalid value: "Bad--Name-": must not begin or end with a hyphen',
      ].join('\n'),
    );
    // a quoted number is a name, as intstr reads a JSON string
    expect(refused(ports({ port: '80' }))).toBe(
      `${HEAD}spec.ingress[0].ports[0].port: Invalid value: "80": must contain at least one letter (a-z)`,
    );
  });

  it('protocols TCP, UDP and SCTP only', () => {
    expect(refused(ports({ protocol: 'ICMP' }))).toBe(
      `${HEAD}spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"`,
    );
    expect(refused(ports({ protocol: 'SCTP', port: 80 }))).toBe('accepted');
  });

  it('a port without protocol is defaulted to TCP', () => {
    const r = parseNetworkPolicy({ metadata: { name: 'p' }, spec: ports({ port: 80 }) });
    expect(r.ok && r.value.ingress[0]!.ports[0]).toEqual({ protocol: 'TCP', port: 80 });
  });
});

describe('policyTypes', () => {
  it('Ingress and Egress only, at most two', () => {
    expect(refused({ policyTypes: ['ingress'] })).toBe(
      `${HEAD}spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress"`,
    );
    expect(refused({ policyTypes: ['Ingress', 'Egress', 'Ingress'] })).toBe(
      `${HEAD}spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Ingress"}: may not specify more than two policyTypes`,
    );
  });
});

describe('label selectors (ValidateLabelSelector)', () => {
  it('keys, values and operators', () => {
    expect(
      refused({
        podSelector: {
          matchLabels: { 'bad key!': 'v' },
          matchExpressions: [
            { key: 'a', operator: 'In' },
            { key: 'b', operator: 'Exists', values: ['x'] },
            { key: 'c', operator: 'Equals', values: ['x'] },
            { key: 'd', operator: 'NotIn', values: ['-bad'] },
          ],
        },
      }),
    ).toBe(
      [
        HEAD,
        "* spec.podSelector.matchLabels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "* spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "* spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        '* spec.podSelector.matchExpressions[2].operator: Invalid value: "Equals": not a valid selector operator',
        "* spec.podSelector.matchExpressions[3].values[0]: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ].join('\n'),
    );
  });

  it('a peer’s selectors are checked at their own path', () => {
    expect(
      refused(
        fromPeer({
          namespaceSelector: { matchExpressions: [{ key: 'k', operator: 'In', values: [] }] },
        }),
      ),
    ).toBe(
      `${HEAD}spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
    );
  });
});

describe('metadata', () => {
  it('a name is required and is a DNS subdomain', () => {
    expect(refused({}, {})).toBe(
      'The NetworkPolicy "" is invalid: metadata.name: Required value: name or generateName is required',
    );
    expect(refused({}, { name: 'Web_Policy' })).toBe(
      "The NetworkPolicy \"Web_Policy\" is invalid: metadata.name: Invalid value: \"Web_Policy\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  });
});

describe('decoding comes first (a 400 before any validation)', () => {
  const BAD =
    'Error from server (BadRequest): NetworkPolicy in version "v1" cannot be handled as a NetworkPolicy: ';

  it('a value of the wrong type: encoding/json, innermost struct and dotted path', () => {
    expect(refused({ podSelector: 'app=web' })).toBe(
      `${BAD}json: cannot unmarshal string into Go struct field NetworkPolicySpec.spec.podSelector of type v1.LabelSelector`,
    );
    expect(refused({ ingress: [{ ports: [{ port: true }] }] })).toBe(
      `${BAD}json: cannot unmarshal bool into Go struct field NetworkPolicyPort.spec.ingress.ports.port of type int32`,
    );
    expect(refused({ podSelector: { matchLabels: { pod: 1 } } })).toBe(
      `${BAD}json: cannot unmarshal number into Go struct field LabelSelector.spec.podSelector.matchLabels of type string`,
    );
  });

  it('unknown fields, as kubectl --validate=strict (its default) has the server refuse them', () => {
    expect(refused({ ingress: [{ form: [{}] }], egress: [{ to: [{ podselector: {} }] }] })).toBe(
      `${BAD}strict decoding error: unknown field "spec.ingress[0].form", unknown field "spec.egress[0].to[0].podselector"`,
    );
  });

  it('another API version is no NetworkPolicy this server knows', () => {
    const r = parseNetworkPolicy({
      apiVersion: 'extensions/v1beta1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p' },
    });
    expect(!r.ok && r.error.text).toBe(
      'no matches for kind "NetworkPolicy" in version "extensions/v1beta1"',
    );
  });
});
