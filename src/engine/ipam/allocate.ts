import {
  ipFromBits,
  parseIp,
  parsePrefix,
  prefix,
  prefixContains,
  type IpAddr,
  type Prefix,
} from '../addr/ip';
import { NAIVE_POD_RANGE } from '../scenario/defaults';
import type { KubeNode, NodeName, Pod, PodName, Scenario } from '../scenario/types';
import { CIDR_NOT_AVAILABLE, CidrSet } from './cidrset';
import { HostLocalRange, noAddressesText } from './hostLocal';
import { allocateClusterIps } from './serviceIp';

/** A Kubernetes event (`kubectl get events`): what the controller or kubelet said. */
export interface ClusterEvent {
  readonly object: string;
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

/** One app container (the pause container is not listed, as kubectl does not count it). */
export interface ContainerStatus {
  readonly name: string;
  readonly ready: boolean;
  /** why it is not running: the process's own last words */
  readonly message?: string;
}

/**
 * Every app container joins the pause container's network namespace, so two
 * of them listening on one port clash: the later one's bind() fails with
 * EADDRINUSE and the kubelet restarts it (CrashLoopBackOff).
 */
export function containerStatuses(p: Pod): ContainerStatus[] {
  const bound = new Map<string, string>();
  return p.containers.map((c) => {
    for (const port of c.ports ?? []) {
      const key = `${(port.protocol ?? 'TCP').toLowerCase()}/${port.containerPort}`;
      if (bound.has(key)) {
        return {
          name: c.name,
          ready: false,
          message: `bind() to 0.0.0.0:${port.containerPort} failed (98: Address already in use)`,
        };
      }
    }
    for (const port of c.ports ?? [])
      bound.set(`${(port.protocol ?? 'TCP').toLowerCase()}/${port.containerPort}`, c.name);
    return { name: c.name, ready: true };
  });
}

export type PodStatus =
  | {
      readonly phase: 'Running';
      readonly ready: boolean;
      readonly containers: readonly ContainerStatus[];
    }
  | { readonly phase: 'ContainerCreating'; readonly message: string }
  | { readonly phase: 'Pending'; readonly message: string };

/** What IPAM settled for a scenario: the scenario with allocations stored, plus the effective view. */
export interface Allocation {
  /** the scenario with every allocation that could be made written in */
  readonly scenario: Scenario;
  readonly events: readonly ClusterEvent[];
  /** the range each node's bridge serves (naive IPAM: Docker's 172.17.0.0/16 everywhere) */
  readonly bridgeRange: ReadonlyMap<NodeName, Prefix>;
  /** each running pod's address */
  readonly podIp: ReadonlyMap<PodName, IpAddr>;
  readonly podStatus: ReadonlyMap<PodName, PodStatus>;
}

function allocateNodeCidrs(
  s: Scenario,
  events: ClusterEvent[],
): { nodes: KubeNode[]; cursor: number | undefined } {
  const cluster = parsePrefix(s.cluster.clusterCidr);
  if (!cluster.ok || cluster.value.len > s.cluster.nodeCidrMaskSize)
    return { nodes: [...s.nodes], cursor: undefined };
  const set = new CidrSet(cluster.value, s.cluster.nodeCidrMaskSize, s.cluster.nodeCidrCursor ?? 0);
  // kube-controller-manager occupies the service range when it sits inside the cluster CIDR
  const svc = parsePrefix(s.cluster.serviceCidr);
  if (svc.ok) set.occupy(svc.value);
  for (const n of s.nodes) {
    if (n.podCidr === undefined) continue;
    const p = parsePrefix(n.podCidr);
    if (p.ok) set.occupy(p.value);
  }
  const nodes = s.nodes.map((n) => {
    if (n.podCidr !== undefined) return n;
    const block = set.allocateNext();
    if (!block) {
      events.push({
        object: `node/${n.name}`,
        type: 'Normal',
        reason: 'CIDRNotAvailable',
        message: `Node ${n.name} status is now: CIDRNotAvailable`,
      });
      events.push({
        object: `node/${n.name}`,
        type: 'Warning',
        reason: 'CIDRNotAvailable',
        message: CIDR_NOT_AVAILABLE,
      });
      return n;
    }
    return { ...n, podCidr: block.text };
  });
  return { nodes, cursor: set.cursor };
}

function notReadyText(node: string): string {
  return `node "${node}" has no podCIDR: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized`;
}

/**
 * Runs the controllers' allocators over a scenario, as kube-controller-manager
 * (cidrset) and the CNI (host-local) would when the objects were created. Pure
 * and idempotent: stored allocations are kept; only missing ones are made.
 */
export function allocate(s: Scenario): Allocation {
  const events: ClusterEvent[] = [];
  const { nodes, cursor } = allocateNodeCidrs(s, events);
  const naive = s.cluster.ipam === 'naive';
  const bridgeRange = new Map<NodeName, Prefix>();
  const ranges = new Map<NodeName, HostLocalRange>();
  for (const n of nodes) {
    const p = naive ? prefix(NAIVE_POD_RANGE) : podCidrOf(n);
    if (!p || p.len > 30) continue;
    bridgeRange.set(n.name, p);
    const last = n.lastReservedIp === undefined ? undefined : parseIp(n.lastReservedIp);
    ranges.set(n.name, new HostLocalRange(p, last?.ok ? last.value.bits : undefined));
  }

  const podStatus = new Map<PodName, PodStatus>();
  const podIp = new Map<PodName, IpAddr>();
  const perNode = new Map<NodeName, number>();
  const admitted = new Set<Pod>();
  for (const p of s.pods) {
    const count = (perNode.get(p.node) ?? 0) + 1;
    perNode.set(p.node, count);
    if (count > s.cluster.maxPods) {
      podStatus.set(p.name, {
        phase: 'Pending',
        message: `0/${nodes.length} nodes are available: 1 Too many pods.`,
      });
      events.push({
        object: `pod/${p.name}`,
        type: 'Warning',
        reason: 'FailedScheduling',
        message: `0/${nodes.length} nodes are available: 1 Too many pods.`,
      });
      continue;
    }
    if (!ranges.has(p.node)) {
      const msg = nodes.some((n) => n.name === p.node)
        ? notReadyText(p.node)
        : `nodes "${p.node}" not found`;
      podStatus.set(p.name, { phase: 'Pending', message: msg });
      continue;
    }
    admitted.add(p);
  }

  // Addresses already handed out stay with their pods (host-local's files on disk).
  const keep = new Map<PodName, IpAddr>();
  {
    for (const p of admitted) {
      const range = ranges.get(p.node)!;
      if (p.ip === undefined) continue;
      const a = parseIp(p.ip);
      if (
        !a.ok ||
        !prefixContains(range.subnet, a.value) ||
        !range.contains(a.value.bits) ||
        a.value.bits === range.gateway
      )
        continue;
      range.reserve(a.value.bits);
      keep.set(p.name, a.value);
    }
  }
  const pods = s.pods.map((p) => {
    if (!admitted.has(p)) return p.ip === undefined ? p : withoutIp(p);
    const range = ranges.get(p.node)!;
    const kept = keep.get(p.name);
    const a = kept ?? range.allocate();
    if (!a) {
      const message = noAddressesText(range);
      podStatus.set(p.name, { phase: 'ContainerCreating', message });
      events.push({
        object: `pod/${p.name}`,
        type: 'Warning',
        reason: 'FailedCreatePodSandBox',
        message: `Failed to create pod sandbox: plugin type="bridge" failed (add): ${message}`,
      });
      return withoutIp(p);
    }
    podIp.set(p.name, a);
    const containers = containerStatuses(p);
    podStatus.set(p.name, {
      phase: 'Running',
      ready: containers.every((c) => c.ready),
      containers,
    });
    return kept ? p : { ...p, ip: a.text };
  });

  const nodesOut = nodes.map((n) => {
    const last = ranges.get(n.name)?.last;
    if (last === undefined) return n;
    const text = ipFromBits(ranges.get(n.name)!.subnet.family, last).text;
    return n.lastReservedIp === text ? n : { ...n, lastReservedIp: text };
  });
  const cluster =
    cursor === undefined || cursor === s.cluster.nodeCidrCursor
      ? s.cluster
      : { ...s.cluster, nodeCidrCursor: cursor };
  const services = allocateClusterIps(s.cluster.serviceCidr, s.services);
  return {
    scenario: { ...s, cluster, nodes: nodesOut, pods, services },
    events,
    bridgeRange,
    podIp,
    podStatus,
  };
}

function withoutIp(p: Pod): Pod {
  const { ip: _ip, ...rest } = p;
  return rest;
}

function podCidrOf(n: KubeNode): Prefix | undefined {
  if (n.podCidr === undefined) return undefined;
  const p = parsePrefix(n.podCidr);
  return p.ok ? p.value : undefined;
}
