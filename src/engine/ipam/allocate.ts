import { objectKey, podKey, podRef } from '../scenario/ids';
import {
  ipFromBits,
  parseIp,
  parsePrefix,
  prefix,
  prefixContains,
  prefixFromBits,
  type IpAddr,
  type Prefix,
} from '../addr/ip';
import { NAIVE_POD_RANGE } from '../scenario/defaults';
import type { KubeNode, NodeName, Pod, Scenario } from '../scenario/types';
import { CIDR_NOT_AVAILABLE, CidrSet } from './cidrset';
import { HostLocalRange, noAddressesText, rangeConfigError } from './hostLocal';
import { CALICO_BLOCK_SIZE, ipamFor, type CniIpam } from './cniIpam';
import { clusterCni } from '../scenario/cni';
import {
  ipamFailure,
  NETWORK_NOT_READY,
  NO_FLANNEL_SUBNET_ENV,
  tooManyPods,
  sandboxFailure,
} from './sandbox';
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
 * The last line a server logs when its listening socket's bind() gets
 * EADDRINUSE (errno 98), in the server's own words: nginx's ngx_open_listening_sockets,
 * Apache httpd's make_sock (AH00072), CPython's OSError.
 */
function bindFailure(image: string, port: number): string {
  const name = image.split('/').at(-1) ?? image;
  if (name.startsWith('httpd'))
    return `(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:${port}`;
  if (name.startsWith('python')) return 'OSError: [Errno 98] Address already in use';
  if (name.startsWith('nginx'))
    return `nginx: [emerg] bind() to 0.0.0.0:${port} failed (98: Address already in use)`;
  return `bind() to 0.0.0.0:${port} failed (98: Address already in use)`;
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
          message: bindFailure(c.image, port.containerPort),
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
  /** admitted, but the sandbox has no network: the CNI's (or the runtime's) own words */
  | { readonly phase: 'ContainerCreating'; readonly message: string }
  /** never bound to a node */
  | { readonly phase: 'Pending'; readonly message: string };

/** What IPAM settled for a scenario: the scenario with allocations stored, plus the effective view. */
export interface Allocation {
  /** the scenario with every allocation that could be made written in */
  readonly scenario: Scenario;
  readonly events: readonly ClusterEvent[];
  /** the range each node's bridge serves (naive IPAM: Docker's 172.17.0.0/16 everywhere) */
  readonly bridgeRange: ReadonlyMap<NodeName, Prefix>;
  /** each running pod's address */
  readonly podIp: ReadonlyMap<string, IpAddr>;
  readonly podStatus: ReadonlyMap<string, PodStatus>;
}

function allocateNodeCidrs(
  s: Scenario,
  cluster: Prefix | undefined,
  events: ClusterEvent[],
): { nodes: KubeNode[]; cursor: number | undefined } {
  if (!cluster || cluster.len > s.cluster.nodeCidrMaskSize)
    return { nodes: [...s.nodes], cursor: undefined };
  const set = new CidrSet(cluster, s.cluster.nodeCidrMaskSize, s.cluster.nodeCidrCursor ?? 0);
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
        object: objectKey('node', n.name),
        type: 'Normal',
        reason: 'CIDRNotAvailable',
        message: `Node ${n.name} status is now: CIDRNotAvailable`,
      });
      events.push({
        object: objectKey('node', n.name),
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

/** Why a node's sandboxes get no network, or the host-local range they draw from. */
type NodeNetwork =
  | { readonly kind: 'range'; readonly range: HostLocalRange }
  /** the CNI's error for every ADD on this node, and the event reason the kubelet files it under */
  | { readonly kind: 'broken'; readonly cniError: string; readonly reason: string };

/**
 * The subnet host-local is configured with on a node. Flannel writes its lease
 * to subnet.env as "first usable IP" (`sn.IP++`, main.go WriteSubnetFile) and
 * its CNI plugin reads it back with net.ParseCIDR, so host-local gets the
 * lease's network — except for a /32 lease, whose +1 is another /32.
 */
function hostLocalSubnet(podCidr: Prefix, ipam: CniIpam): Prefix {
  switch (ipam.range) {
    case 'flannelLease':
      return prefixFromBits(podCidr.family, podCidr.bits + 1n, podCidr.len);
    case 'podCidr':
      return podCidr;
    case 'calicoBlock':
      return prefixFromBits(
        podCidr.family,
        podCidr.bits,
        Math.max(podCidr.len, podCidr.family === 4 ? CALICO_BLOCK_SIZE : 122),
      );
  }
}

function nodeNetwork(n: KubeNode, s: Scenario, ipam: CniIpam, tunnel: boolean): NodeNetwork {
  const plugin = ipam.plugin;
  const podCidr =
    s.cluster.ipam === 'naive' && ipam.range === 'podCidr' ? prefix(NAIVE_POD_RANGE) : podCidrOf(n);
  if (!podCidr) {
    return plugin === 'flannel'
      ? { kind: 'broken', cniError: NO_FLANNEL_SUBNET_ENV, reason: 'FailedCreatePodSandBox' }
      : { kind: 'broken', cniError: NETWORK_NOT_READY, reason: 'NetworkNotReady' };
  }
  const subnet = hostLocalSubnet(podCidr, ipam);
  const bad = rangeConfigError(subnet);
  if (bad)
    return { kind: 'broken', cniError: ipamFailure(plugin, bad), reason: 'FailedCreatePodSandBox' };
  const last = n.lastReservedIp === undefined ? undefined : parseIp(n.lastReservedIp);
  return {
    kind: 'range',
    range: new HostLocalRange(
      subnet,
      last?.ok ? last.value.bits : undefined,
      ipam.range === 'calicoBlock' ? { kind: 'calicoBlock', tunnel } : { kind: 'hostLocal' },
    ),
  };
}

/**
 * Runs the controllers' allocators over a scenario, as kube-controller-manager
 * (cidrset), the scheduler (maxPods) and the CNI (host-local) would when the
 * objects were created. Pure and idempotent: stored allocations are kept;
 * only missing ones are made.
 */
export function allocate(s: Scenario): Allocation {
  const events: ClusterEvent[] = [];
  // kube-controller-manager parses --cluster-cidr with net.ParseCIDR, which keeps only the
  // network: 10.244.1.0/16 is 10.244.0.0/16 (k8s.io/utils/net ParseCIDRs)
  const cc = parsePrefix(s.cluster.clusterCidr, false);
  const clusterCidr = cc.ok ? cc.value : undefined;
  const { nodes, cursor } = allocateNodeCidrs(s, clusterCidr, events);
  const cni = clusterCni(s.cluster);
  const ipam = ipamFor(cni, s.cluster.ipam);
  const plugin = ipam.plugin;
  const bridgeRange = new Map<NodeName, Prefix>();
  const networks = new Map<NodeName, NodeNetwork>();
  // Calico's encapsulating modes give a block's first address to the node's tunnel device
  const tunnel = cni !== 'calico-bgp';
  for (const n of nodes) {
    const net = nodeNetwork(n, s, ipam, tunnel);
    networks.set(n.name, net);
    if (net.kind === 'range') bridgeRange.set(n.name, net.range.subnet);
  }

  const podStatus = new Map<string, PodStatus>();
  const podIp = new Map<string, IpAddr>();
  const perNode = new Map<NodeName, number>();
  const admitted = new Set<Pod>();
  for (const p of s.pods) {
    const net = networks.get(p.node);
    if (!net) {
      podStatus.set(podRef(p), { phase: 'Pending', message: `nodes "${p.node}" not found` });
      continue;
    }
    // pods are scheduled in scenario order; one that does not fit holds no slot
    const used = perNode.get(p.node) ?? 0;
    if (used >= s.cluster.maxPods) {
      const message = tooManyPods(s.nodes.length);
      podStatus.set(podRef(p), { phase: 'Pending', message });
      events.push({
        object: podKey(p),
        type: 'Warning',
        reason: 'FailedScheduling',
        message,
      });
      continue;
    }
    perNode.set(p.node, used + 1);
    if (net.kind === 'broken') {
      podStatus.set(podRef(p), { phase: 'ContainerCreating', message: net.cniError });
      events.push({
        object: podKey(p),
        type: 'Warning',
        reason: net.reason,
        message:
          net.reason === 'FailedCreatePodSandBox'
            ? sandboxFailure(p.name, plugin, net.cniError)
            : net.cniError,
      });
      continue;
    }
    admitted.add(p);
  }

  // Addresses already handed out stay with their pods (host-local's reservation files on
  // disk), first come first served in scenario order. A stored address host-local could not
  // have given this pod — outside the range, the gateway, or already reserved for an earlier
  // pod — is not kept: flannel never asks host-local for a particular address, so the
  // sandbox's ADD simply takes the next free one (allocator.go Get, no requestedIP).
  const keep = new Map<string, IpAddr>();
  for (const p of admitted) {
    const net = networks.get(p.node);
    if (p.ip === undefined || net?.kind !== 'range') continue;
    const a = parseIp(p.ip);
    if (a.ok && prefixContains(net.range.subnet, a.value) && net.range.reserve(a.value.bits))
      keep.set(podRef(p), a.value);
  }
  const pods = s.pods.map((p) => {
    const net = networks.get(p.node);
    if (!admitted.has(p) || net?.kind !== 'range') return p.ip === undefined ? p : withoutIp(p);
    const kept = keep.get(podRef(p));
    const a = kept ?? net.range.allocate();
    if (!a) {
      const message = noAddressesText(net.range);
      podStatus.set(podRef(p), { phase: 'ContainerCreating', message });
      events.push({
        object: podKey(p),
        type: 'Warning',
        reason: 'FailedCreatePodSandBox',
        message: sandboxFailure(p.name, plugin, ipamFailure(plugin, message)),
      });
      return withoutIp(p);
    }
    podIp.set(podRef(p), a);
    if (!kept && p.ip !== undefined)
      events.push(readdressed(p, a, net.range.subnet, keep, ipam.plugin === 'calico'));
    const containers = containerStatuses(p);
    podStatus.set(podRef(p), {
      phase: 'Running',
      ready: containers.every((c) => c.ready),
      containers,
    });
    return kept ? p : { ...p, ip: a.text };
  });

  const nodesOut = nodes.map((n) => {
    const net = networks.get(n.name);
    const last = net?.kind === 'range' ? net.range.last : undefined;
    if (net?.kind !== 'range' || last === undefined) return n;
    const text = ipFromBits(net.range.subnet.family, last).text;
    return n.lastReservedIp === text ? n : { ...n, lastReservedIp: text };
  });
  const canonical = clusterCidr && clusterCidr.text !== s.cluster.clusterCidr;
  const moved = cursor !== undefined && cursor !== s.cluster.nodeCidrCursor;
  // a datapath switched under a written CNI stores the CNI it now runs (scenario/cni.ts)
  const switched = s.cluster.cni !== undefined && s.cluster.cni !== cni;
  const cluster =
    canonical || moved || switched
      ? {
          ...s.cluster,
          ...(canonical ? { clusterCidr: clusterCidr.text } : {}),
          ...(moved ? { nodeCidrCursor: cursor } : {}),
          ...(switched ? { cni } : {}),
        }
      : s.cluster;
  const services = allocateClusterIps(s.cluster.serviceCidr, s.services);
  return {
    scenario: {
      ...s,
      cluster,
      nodes: nodesOut,
      pods,
      services,
    },
    events,
    bridgeRange,
    podIp,
    podStatus,
  };
}

/**
 * A stored address the sandbox could not keep: the kubelet's own event for a sandbox made
 * anew (pkg/kubelet/kuberuntime/kuberuntime_manager.go, SandboxChanged), then why, and the
 * address host-local gave instead — an import's IP is never replaced silently.
 */
function readdressed(
  p: Pod,
  given: IpAddr,
  range: Prefix,
  kept: ReadonlyMap<string, IpAddr>,
  calico: boolean,
): ClusterEvent {
  const allocator = calico ? 'calico-ipam' : 'host-local';
  const stored = p.ip ?? '';
  const a = parseIp(stored);
  const holder = a.ok
    ? [...kept].find(([, ip]) => ip.bits === a.value.bits && ip.family === a.value.family)?.[0]
    : undefined;
  const why = !a.ok
    ? `its stored IP "${stored}" is not an address`
    : !prefixContains(range, a.value)
      ? `its stored IP ${stored} is outside node ${p.node}'s ${calico ? 'Calico block' : 'podCIDR'} ${range.text}`
      : holder !== undefined
        ? `its stored IP ${stored} is already held by pod ${holder}`
        : calico
          ? `its stored IP ${stored} is the node's tunnel address`
          : `its stored IP ${stored} is not one host-local hands out (the network, cni0's gateway or the broadcast address)`;
  return {
    object: podKey(p),
    type: 'Normal',
    reason: 'SandboxChanged',
    message: `Pod sandbox changed, it will be killed and re-created. ${why[0]!.toUpperCase()}${why.slice(1)}, so ${allocator} gave it ${given.text}.`,
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
