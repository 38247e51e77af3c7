import { namespacedRef, objectKey, podKey, podRef, serviceKey } from '../scenario/ids';
import { nthAddress } from '../addr/ip';
import { allocate } from '../ipam/allocate';
import {
  routerAddresses,
  routerAddressProblems,
  type RouterAddresses,
} from '../ipam/routerAddress';
import { stopsBuild, type Problem } from '../scenario/problems';
import type { Scenario } from '../scenario/types';
import { validateScenario } from '../scenario/validate';
import { buildContext, type BuildContext } from './context';
import { macFor } from './mac';
import { buildNode, hostVethName, podMac } from './node';
import { buildPod } from './pod';
import { buildRouter } from './router';
import type { BuildResult, Device, Namespace, Network, Segment, SegmentPort } from './types';

function namespaceClashes(s: Scenario): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  const note = (kind: string, name: string) => {
    const other = seen.get(name);
    if (other && other !== kind)
      problems.push({
        kind: 'duplicate',
        object: `${kind}/${name}`,
        field: 'name',
        text: `the name "${name}" is already used by a ${other}: every pod, node and router is a network namespace and needs its own name`,
      });
    else seen.set(name, kind);
  };
  for (const r of s.routers) note('router', r.name);
  for (const n of s.nodes) note('node', n.name);
  for (const p of s.pods) note('pod', podRef(p));
  return problems;
}

function buildSegment(
  ctx: BuildContext,
  routerAddr: RouterAddresses,
  namespace: (name: string) => Namespace | undefined,
  id: string,
): Segment | undefined {
  const [kind, owner] = id.split(/:(.*)/s) as [string, string | undefined];
  if (owner === undefined) return undefined;
  if (kind === 'subnet') {
    const sub = ctx.subnets.get(owner);
    if (!sub) return undefined;
    const ports: SegmentPort[] = [];
    for (const r of ctx.routersBySubnet.get(owner) ?? []) {
      const i = r.subnets.indexOf(sub.subnet.name);
      const own = routerAddr.get(r.name)?.get(sub.subnet.name);
      ports.push({
        namespace: r.name,
        device: `eth${i}`,
        mac: macFor(`${r.name}/eth${i}`),
        addresses: own ? [own] : [],
      });
    }
    for (const n of ctx.nodesBySubnet.get(owner) ?? []) {
      ports.push({
        namespace: n.node.name,
        device: 'eth0',
        mac: macFor(`${n.node.name}/eth0`),
        addresses: [n.ip],
      });
    }
    return { id, kind: 'underlay', owner, srcDstCheck: sub.subnet.srcDstCheck, ports };
  }
  if (kind === 'bridge') {
    const n = ctx.nodes.get(owner);
    if (!n || !n.bridgeRange || n.pods.length === 0) return undefined;
    const ports: SegmentPort[] = [
      {
        namespace: owner,
        device: 'cni0',
        mac: macFor(`${owner}/cni0`),
        addresses: [nthAddress(n.bridgeRange, 1n)],
      },
    ];
    for (const p of n.pods) {
      ports.push({
        namespace: podRef(p.pod),
        device: 'eth0',
        mac: podMac(podRef(p.pod)),
        addresses: [p.ip],
        bridgePort: hostVethName(podRef(p.pod)),
      });
    }
    return { id, kind: 'bridge', owner, srcDstCheck: false, ports };
  }
  if (kind === 'veth') return vethPair(namespace, id, owner);
  return undefined;
}

/** A pod's veth pair on its own: the pod's eth0 and its peer on the node, nothing between. */
function vethPair(
  namespace: (name: string) => Namespace | undefined,
  id: string,
  pod: string,
): Segment | undefined {
  const eth0 = namespace(pod)?.devices.find((d) => d.segment === id);
  const host = eth0?.peer ? namespace(eth0.peer.namespace) : undefined;
  const end = host?.devices.find((d) => d.name === eth0?.peer?.device);
  if (!eth0 || !host || !end) return undefined;
  const port = (ns: string, d: Device): SegmentPort => ({
    namespace: ns,
    device: d.name,
    mac: d.mac,
    addresses: d.addresses.map((a) => a.ip),
  });
  return {
    id,
    kind: 'veth',
    owner: pod,
    srcDstCheck: false,
    ports: [port(pod, eth0), port(host.name, end)],
  };
}

/**
 * The one pure function from a scenario to the network it implies. Validates,
 * runs IPAM for anything not yet allocated, then builds namespaces and L2
 * segments on first look. Never throws on user input: problems come back as values.
 */
export function buildNetwork(input: Scenario): BuildResult {
  const routerAddr = routerAddresses(input);
  const problems = [
    ...validateScenario(input),
    ...namespaceClashes(input),
    ...routerAddressProblems(input, routerAddr),
  ];
  if (problems.some((p) => stopsBuild(p.kind))) return { ok: false, problems };
  const { admitted, left } = admit(input, problems);
  const rejected = [...problems, ...left];
  const allocation = allocate(admitted);
  const ctx = buildContext(allocation);
  const names: string[] = [...ctx.routers.keys(), ...ctx.nodes.keys(), ...ctx.pods.keys()];
  const namespaces = new Map<string, Namespace | undefined>();
  const segments = new Map<string, Segment | undefined>();

  const namespace = (name: string): Namespace | undefined => {
    if (namespaces.has(name)) return namespaces.get(name);
    const router = ctx.routers.get(name);
    const node = ctx.nodes.get(name);
    const pod = ctx.pods.get(name);
    const ns = router
      ? buildRouter(ctx, router, routerAddr)
      : node
        ? buildNode(ctx, node)
        : pod
          ? buildPod(ctx, pod.node, pod)
          : undefined;
    namespaces.set(name, ns);
    return ns;
  };
  const segment = (id: string): Segment | undefined => {
    if (!segments.has(id)) segments.set(id, buildSegment(ctx, routerAddr, namespace, id));
    return segments.get(id);
  };

  const network: Network = {
    scenario: allocation.scenario,
    events: allocation.events,
    podStatus: allocation.podStatus,
    servicePorts: ctx.servicePorts,
    namespaceNames: names,
    namespace,
    pod: (name) => ctx.pods.get(name)?.pod,
    segment,
  };
  return { ok: true, network, rejected, stored: keepRefused(input, allocation.scenario) };
}

/**
 * What the cluster runs: every object but the refused ones and those that need
 * them (a node on a refused subnet, a pod on a refused node, a router joining a
 * refused subnet), each of the latter with a `dependent` problem saying why.
 */
function admit(input: Scenario, problems: readonly Problem[]) {
  const refused = new Set(problems.map((p) => p.object));
  if (refused.size === 0) return { admitted: input, left: [] };
  const left: Problem[] = [];
  const leave = (object: string, text: string) => {
    left.push({ kind: 'dependent', object, text });
    refused.add(object);
  };
  for (const r of input.routers) {
    const gone = r.subnets.find((sn) => refused.has(objectKey('subnet', sn)));
    if (gone !== undefined && !refused.has(objectKey('router', r.name)))
      leave(
        objectKey('router', r.name),
        `not created: it joins subnet "${gone}", which has problems`,
      );
  }
  for (const n of input.nodes)
    if (refused.has(objectKey('subnet', n.subnet)) && !refused.has(objectKey('node', n.name)))
      leave(objectKey('node', n.name), `not created: its subnet "${n.subnet}" has problems`);
  for (const p of input.pods)
    if (refused.has(objectKey('node', p.node)) && !refused.has(podKey(p)))
      leave(podKey(p), `not created: its node "${p.node}" was not created`);
  const admitted: Scenario = {
    ...input,
    subnets: input.subnets.filter((x) => !refused.has(objectKey('subnet', x.name))),
    routers: input.routers.filter((x) => !refused.has(objectKey('router', x.name))),
    nodes: input.nodes.filter((x) => !refused.has(objectKey('node', x.name))),
    pods: input.pods.filter((x) => !refused.has(podKey(x))),
    services: input.services.filter((x) => !refused.has(serviceKey(x))),
  };
  return { admitted, left };
}

/** Each allocated object in its place, the objects left out back as they were, untouched. */
function keepRefused(input: Scenario, allocated: Scenario): Scenario {
  // by identity: a pod or Service is namespace/name (the others have no namespace)
  const merge = <T extends { readonly name: string; readonly namespace?: string }>(
    all: readonly T[],
    made: readonly T[],
  ) => {
    if (all.length === made.length) return made;
    const byRef = new Map(made.map((x) => [namespacedRef(x), x]));
    return all.map((x) => byRef.get(namespacedRef(x)) ?? x);
  };
  const kinds = ['subnets', 'routers', 'nodes', 'pods', 'services'] as const;
  if (kinds.every((k) => input[k].length === allocated[k].length)) return allocated;
  return {
    ...allocated,
    subnets: merge(input.subnets, allocated.subnets),
    routers: merge(input.routers, allocated.routers),
    nodes: merge(input.nodes, allocated.nodes),
    pods: merge(input.pods, allocated.pods),
    services: merge(input.services, allocated.services),
  };
}
