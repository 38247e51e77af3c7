/**
 * The verdict of the NetworkPolicies on one connection, as Kubernetes defines it
 * (concepts/services-networking/network-policies, and the NetworkPolicySpec
 * field docs in k8s.io/api/networking/v1/types.go):
 *
 * - a pod is isolated for a direction only when some policy selecting it has that
 *   policyType; a pod no policy isolates allows everything in that direction;
 * - policies are additive: an isolated pod allows a connection if any rule of any
 *   policy isolating it matches — ports (none listed: every port and protocol) and
 *   peers (none listed: every peer);
 * - a peer is podSelector (pods of the policy's namespace), namespaceSelector
 *   (every pod of the selected namespaces), both in one peer (those pods of those
 *   namespaces), or ipBlock; an ipBlock matches by address, so it takes a pod by its
 *   pod IP too, as the e2e suite's "should allow egress access to server in CIDR
 *   block" relies on (the docs advise cluster-external IPs, since pod IPs change);
 * - a named port resolves on the destination pod's containers (its name and
 *   protocol); an external destination has no named ports;
 * - a connection needs egress allowed at its source and ingress at its
 *   destination; a pod cannot block access to itself, and traffic to and from the
 *   pod's own node is always allowed (the docs' "exception" for node traffic).
 *
 * ICMP is no port protocol: a rule that lists ports never matches it, a rule
 * without ports does (what Calico and most plugins do; the API leaves other
 * protocols to the plugin). Host-network pods are not modelled.
 */
import { formatSelector, isEmptySelector, selectorMatches } from './selector';
import { cidrContainsBits } from './cidr';
import type { IpAddr } from '../addr/ip';
import {
  policyRef,
  type NetworkPolicy,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type PolicyType,
} from './types';
import type { PolicyPod, PolicyWorld } from './world';

export type Direction = 'ingress' | 'egress';
export type TrafficProtocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP';

export interface Traffic {
  readonly protocol: TrafficProtocol;
  /** the destination port (TCP, UDP, SCTP) */
  readonly port?: number;
}

/** the other end of a connection: a pod, or an address no pod holds */
export type Endpoint =
  { readonly kind: 'pod'; readonly pod: PolicyPod } | { readonly kind: 'ip'; readonly ip: IpAddr };

export type Verdict =
  | {
      readonly allowed: true;
      readonly reason: 'notIsolated' | 'self' | 'node';
      readonly direction: Direction;
      readonly text: string;
    }
  | {
      readonly allowed: true;
      readonly reason: 'rule';
      readonly direction: Direction;
      /** `x/allow-b` */
      readonly policy: string;
      /** zero-based, as in the field path */
      readonly rule: number;
      /** `spec.ingress[0]` */
      readonly field: string;
      /** the peer that matched (zero-based), absent when the rule lists none */
      readonly peer?: number;
      /** the port entry that matched (zero-based), absent when the rule lists none */
      readonly port?: number;
      readonly text: string;
    }
  | {
      readonly allowed: false;
      readonly reason: 'defaultDeny';
      readonly direction: Direction;
      /** every policy isolating the pod for this direction */
      readonly isolatedBy: readonly string[];
      readonly text: string;
    };

export interface PolicyEngine {
  readonly world: PolicyWorld;
  readonly policies: readonly NetworkPolicy[];
  /** the pods a policy selects (its namespace, its podSelector) */
  selected(policy: NetworkPolicy): readonly PolicyPod[];
  /** the policies isolating a pod for a direction, in the order given */
  isolating(pod: PolicyPod, direction: Direction): readonly NetworkPolicy[];
}

const TYPE: Record<Direction, PolicyType> = { ingress: 'Ingress', egress: 'Egress' };

export function policyEngine(world: PolicyWorld, policies: readonly NetworkPolicy[]): PolicyEngine {
  const selected = new Map<NetworkPolicy, PolicyPod[]>();
  const isolating = new Map<string, { ingress: NetworkPolicy[]; egress: NetworkPolicy[] }>();
  for (const p of world.pods) isolating.set(p.key, { ingress: [], egress: [] });
  for (const policy of policies) {
    const pods = world.pods.filter(
      (p) => p.namespace === policy.namespace && selectorMatches(policy.podSelector, p.labels),
    );
    selected.set(policy, pods);
    for (const p of pods) {
      const iso = isolating.get(p.key)!;
      if (policy.policyTypes.includes('Ingress')) iso.ingress.push(policy);
      if (policy.policyTypes.includes('Egress')) iso.egress.push(policy);
    }
  }
  return {
    world,
    policies,
    selected: (policy) => selected.get(policy) ?? [],
    isolating: (pod, direction) => isolating.get(pod.key)?.[direction] ?? [],
  };
}

const endpointIp = (e: Endpoint): IpAddr | undefined => (e.kind === 'pod' ? e.pod.ip : e.ip);

function peerMatches(
  world: PolicyWorld,
  peer: PolicyPeer,
  policyNamespace: string,
  other: Endpoint,
): boolean {
  if (peer.ipBlock) {
    const ip = endpointIp(other);
    if (!ip) return false;
    const { cidr, except } = peer.ipBlock;
    return (
      cidrContainsBits(cidr, ip.family, ip.bits) &&
      !except.some((e) => cidrContainsBits(e, ip.family, ip.bits))
    );
  }
  if (other.kind !== 'pod') return false;
  const pod = other.pod;
  if (peer.podSelector && !selectorMatches(peer.podSelector, pod.labels)) return false;
  if (!peer.namespaceSelector) return pod.namespace === policyNamespace;
  return selectorMatches(peer.namespaceSelector, world.namespaceLabels.get(pod.namespace) ?? {});
}

function portMatches(p: PolicyPort, traffic: Traffic, destination: PolicyPod | undefined): boolean {
  if (traffic.protocol === 'ICMP' || p.protocol !== traffic.protocol) return false;
  if (p.port === undefined) return true;
  if (traffic.port === undefined) return false;
  if (typeof p.port === 'number')
    return p.endPort === undefined
      ? traffic.port === p.port
      : traffic.port >= p.port && traffic.port <= p.endPort;
  return (destination?.namedPorts ?? []).some(
    (n) => n.name === p.port && n.protocol === p.protocol && n.port === traffic.port,
  );
}

interface Match {
  readonly policy: NetworkPolicy;
  readonly rule: number;
  readonly peer?: number;
  readonly port?: number;
}

/** the first rule, of the policies isolating `pod`, that lets the connection through */
function firstMatch(
  engine: PolicyEngine,
  pod: PolicyPod,
  direction: Direction,
  other: Endpoint,
  traffic: Traffic,
  destination: PolicyPod | undefined,
): Match | undefined {
  for (const policy of engine.isolating(pod, direction)) {
    const rules: readonly PolicyRule[] = direction === 'ingress' ? policy.ingress : policy.egress;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      const port = rule.ports.findIndex((p) => portMatches(p, traffic, destination));
      if (rule.ports.length > 0 && port < 0) continue;
      const peer = rule.peers.findIndex((p) =>
        peerMatches(engine.world, p, policy.namespace, other),
      );
      if (rule.peers.length > 0 && peer < 0) continue;
      return {
        policy,
        rule: r,
        ...(peer >= 0 ? { peer } : {}),
        ...(port >= 0 ? { port } : {}),
      };
    }
  }
  return undefined;
}

type Decision =
  | { readonly kind: 'notIsolated' | 'self' | 'node' }
  | { readonly kind: 'rule'; readonly match: Match }
  | { readonly kind: 'deny'; readonly isolatedBy: readonly NetworkPolicy[] };

function decide(
  engine: PolicyEngine,
  pod: PolicyPod,
  direction: Direction,
  other: Endpoint,
  traffic: Traffic,
): Decision {
  if (other.kind === 'pod' && other.pod.key === pod.key) return { kind: 'self' };
  if (other.kind === 'ip' && pod.nodeIp && other.ip.bits === pod.nodeIp.bits)
    return { kind: 'node' };
  const isolatedBy = engine.isolating(pod, direction);
  if (isolatedBy.length === 0) return { kind: 'notIsolated' };
  const destination = direction === 'ingress' ? pod : other.kind === 'pod' ? other.pod : undefined;
  const match = firstMatch(engine, pod, direction, other, traffic, destination);
  return match ? { kind: 'rule', match } : { kind: 'deny', isolatedBy };
}

// ---- the sentences -------------------------------------------------------------------------

const endpointName = (e: Endpoint): string => (e.kind === 'pod' ? e.pod.key : e.ip.text);

export function trafficText(t: Traffic): string {
  return t.protocol === 'ICMP' || t.port === undefined ? t.protocol : `${t.protocol} ${t.port}`;
}

const selectorText = (s: Parameters<typeof formatSelector>[0]) =>
  isEmptySelector(s) ? '{}' : formatSelector(s);

export function peerText(p: PolicyPeer): string {
  if (p.ipBlock) {
    const except = p.ipBlock.except.map((e) => e.text);
    return `ipBlock ${p.ipBlock.cidr.text}${except.length ? ` except ${except.join(', ')}` : ''}`;
  }
  const parts: string[] = [];
  if (p.namespaceSelector) parts.push(`namespaceSelector ${selectorText(p.namespaceSelector)}`);
  if (p.podSelector) parts.push(`podSelector ${selectorText(p.podSelector)}`);
  return parts.join(' and ');
}

export function portText(p: PolicyPort, traffic: Traffic): string {
  if (p.port === undefined) return `any ${p.protocol} port`;
  if (typeof p.port === 'string') return `port ${p.port}, ${p.protocol} ${traffic.port}`;
  return p.endPort === undefined
    ? `${p.protocol} ${p.port}`
    : `${p.protocol} ${p.port}-${p.endPort}`;
}

/** `a`, `a and b`, `a, b and c` */
export function andList(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function verdictOf(
  d: Decision,
  pod: PolicyPod,
  direction: Direction,
  other: Endpoint,
  traffic: Traffic,
): Verdict {
  switch (d.kind) {
    case 'self':
      return {
        allowed: true,
        reason: 'self',
        direction,
        text: `allowed: ${pod.key} talks to itself, which a pod cannot block`,
      };
    case 'node':
      return {
        allowed: true,
        reason: 'node',
        direction,
        text: `allowed: traffic ${direction === 'ingress' ? 'from' : 'to'} ${pod.key}'s own node ${pod.node} is always allowed`,
      };
    case 'notIsolated':
      return {
        allowed: true,
        reason: 'notIsolated',
        direction,
        text: `allowed: ${pod.key} is not isolated for ${direction} (no NetworkPolicy with policyType ${TYPE[direction]} selects it)`,
      };
    case 'rule': {
      const { policy, rule, peer, port } = d.match;
      const r = (direction === 'ingress' ? policy.ingress : policy.egress)[rule]!;
      const which = direction === 'ingress' ? 'from' : 'to';
      const peerPart =
        peer === undefined
          ? `${which} any ${direction === 'ingress' ? 'source' : 'destination'}`
          : `${which} ${peerText(r.peers[peer]!)}`;
      const portPart = port === undefined ? '' : `, on ${portText(r.ports[port]!, traffic)}`;
      return {
        allowed: true,
        reason: 'rule',
        direction,
        policy: policyRef(policy),
        rule,
        field: `spec.${direction}[${rule}]`,
        ...(peer !== undefined ? { peer } : {}),
        ...(port !== undefined ? { port } : {}),
        text: `allowed by ${policyRef(policy)} ${direction} rule ${rule + 1} (${peerPart}${portPart})`,
      };
    }
    case 'deny': {
      const names = d.isolatedBy.map(policyRef);
      return {
        allowed: false,
        reason: 'defaultDeny',
        direction,
        isolatedBy: names,
        text: `denied by default: ${pod.key} is isolated for ${direction} by ${andList(names)}, and no rule of ${names.length === 1 ? 'it' : 'them'} allows ${endpointName(other)} on ${trafficText(traffic)}`,
      };
    }
  }
}

/** The ingress verdict at `to` for a connection from `from`. */
export function ingressVerdict(
  engine: PolicyEngine,
  from: Endpoint,
  to: PolicyPod,
  traffic: Traffic,
): Verdict {
  return verdictOf(decide(engine, to, 'ingress', from, traffic), to, 'ingress', from, traffic);
}

/** The egress verdict at `from` for a connection to `to`. */
export function egressVerdict(
  engine: PolicyEngine,
  from: PolicyPod,
  to: Endpoint,
  traffic: Traffic,
): Verdict {
  return verdictOf(decide(engine, from, 'egress', to, traffic), from, 'egress', to, traffic);
}

/** the verdict alone, without its sentence: what the matrix asks 90,000 times */
export function allows(
  engine: PolicyEngine,
  pod: PolicyPod,
  direction: Direction,
  other: Endpoint,
  traffic: Traffic,
): boolean {
  const d = decide(engine, pod, direction, other, traffic);
  return d.kind !== 'deny';
}

export interface Connectivity {
  readonly allowed: boolean;
  /** absent when the source is no pod (nothing of the cluster decides its egress) */
  readonly egress?: Verdict;
  /** absent when the destination is no pod */
  readonly ingress?: Verdict;
}

/** Reachability as the e2e suite defines it: egress allowed at the source AND ingress at the destination. */
export function connectivity(
  engine: PolicyEngine,
  from: Endpoint,
  to: Endpoint,
  traffic: Traffic,
): Connectivity {
  const egress = from.kind === 'pod' ? egressVerdict(engine, from.pod, to, traffic) : undefined;
  const ingress = to.kind === 'pod' ? ingressVerdict(engine, from, to.pod, traffic) : undefined;
  return {
    allowed: (egress?.allowed ?? true) && (ingress?.allowed ?? true),
    ...(egress ? { egress } : {}),
    ...(ingress ? { ingress } : {}),
  };
}

/** A pod by its `namespace/name` key, or an address: a pod's own IP stands for that pod. */
export function endpoint(world: PolicyWorld, what: string | IpAddr): Endpoint | undefined {
  if (typeof what !== 'string') {
    const pod = world.podByIp(what);
    return pod ? { kind: 'pod', pod } : { kind: 'ip', ip: what };
  }
  const pod = world.pod(what.includes('/') ? what : `default/${what}`);
  return pod ? { kind: 'pod', pod } : undefined;
}
