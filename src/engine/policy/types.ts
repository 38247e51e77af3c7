/**
 * A NetworkPolicy (networking.k8s.io/v1) as the API server stores it once it
 * is accepted: decoded, defaulted (pkg/apis/networking/v1/defaults.go) and
 * validated. Field names follow the API; indices are kept so that a verdict
 * can name `spec.ingress[0].from[1]`.
 */

/** the protocols a NetworkPolicyPort may name (validation.go ValidateNetworkPolicyPort) */
export const POLICY_PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type PolicyProtocol = (typeof POLICY_PROTOCOLS)[number];

export const POLICY_TYPES = ['Ingress', 'Egress'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof SELECTOR_OPERATORS)[number];

export type Labels = Readonly<Record<string, string>>;

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** metav1.LabelSelector: every matchLabels pair and every expression must hold */
export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly SelectorRequirement[];
}

/** a CIDR as written and as parsed; `bits` is the network address, host bits cleared */
export interface PolicyCidr {
  readonly text: string;
  readonly family: 4 | 6;
  readonly bits: bigint;
  readonly len: number;
}

export interface IpBlock {
  readonly cidr: PolicyCidr;
  readonly except: readonly PolicyCidr[];
}

/** NetworkPolicyPeer: ipBlock alone, or podSelector and/or namespaceSelector */
export interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: IpBlock;
}

/** NetworkPolicyPort after defaulting: the protocol is always set (TCP when left out) */
export interface PolicyPort {
  readonly protocol: PolicyProtocol;
  /** a number, a container port name, or every port of the protocol when absent */
  readonly port?: number | string;
  /** with a numeric port: the range port..endPort, inclusive */
  readonly endPort?: number;
}

/** an ingress rule's `from` or an egress rule's `to`, with its ports */
export interface PolicyRule {
  readonly ports: readonly PolicyPort[];
  /** empty: every peer (the field absent or empty) */
  readonly peers: readonly PolicyPeer[];
}

export interface NetworkPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** metadata.creationTimestamp when the object carried one (RFC 3339) */
  readonly creationTimestamp?: string;
  readonly podSelector: LabelSelector;
  /** after defaulting: Ingress always when none was given, Egress too when spec.egress has rules */
  readonly policyTypes: readonly PolicyType[];
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

/** `x/deny-all`: how a policy is named in a verdict */
export const policyRef = (p: Pick<NetworkPolicy, 'namespace' | 'name'>): string =>
  `${p.namespace}/${p.name}`;
