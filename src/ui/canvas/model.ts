import type {
  BuildResult,
  InstallError,
  Network,
  PodColumns,
  Position,
  Problem,
  Scenario,
} from '../../engine/index';
import {
  buildProblems,
  objectKey,
  podAddress,
  podColumns,
  parseSegment,
  podRef,
  serviceKey,
  serviceRef,
} from '../../engine/index';
import {
  addrText,
  hostDevices,
  type DeviceLabel,
  type RoutedLabel,
  type TunnelLabel,
} from './hostDevices';

export type { DeviceLabel, RoutedLabel, TunnelLabel } from './hostDevices';

/**
 * What the canvas draws, read from the scenario (objects, positions) and, when
 * it builds, from the network (addresses, devices, statuses, errors). Nothing
 * here computes an address: it picks what the engine installed.
 */
export type SubnetModel = {
  readonly name: string;
  readonly cidr: string;
  readonly gateway: string;
  readonly srcDstCheck: boolean;
  readonly position?: Position;
  readonly problems: readonly string[];
};

export type RouterInterface = {
  readonly dev?: string;
  readonly addr?: string;
  readonly subnet: string;
};

export type RouterModel = {
  readonly name: string;
  readonly subnets: readonly string[];
  readonly interfaces: readonly RouterInterface[];
  readonly position?: Position;
  readonly problems: readonly string[];
};

export type NodeModel = {
  readonly name: string;
  readonly subnet: string;
  /** eth0's address as installed (`10.100.0.2/24`), or the scenario's IP when the build failed */
  readonly ip: string;
  readonly podCidr?: string;
  /** the node has a podCIDR but its bridge does not use it (naive IPAM) */
  readonly podCidrUnused: boolean;
  /** the blocks the node holds, as its blackhole routes name them (Calico's IPAM blocks) */
  readonly blocks: readonly string[];
  readonly errors: readonly InstallError[];
  /** Kubernetes events about the node (CIDRNotAvailable) */
  readonly events: readonly string[];
  readonly bridge?: DeviceLabel;
  /** the node routes to its pods' veths itself (no bridge) */
  readonly routed?: RoutedLabel;
  readonly tunnel?: TunnelLabel;
  /** left out of the cluster (its problems say why); the rest runs */
  readonly refused: boolean;
  readonly position?: Position;
  readonly problems: readonly string[];
};

export type ContainerLabel = { readonly name: string; readonly ports: string };

export type PodModel = {
  readonly name: string;
  readonly node: string;
  /** eth0's address as installed, and its prefix length */
  readonly ip?: string;
  readonly ipLen?: number;
  /** other pods holding the same IP (naive IPAM on several nodes) */
  readonly sameIp: readonly string[];
  readonly containers: readonly ContainerLabel[];
  /** STATUS and READY as `kubectl get pods` prints them (the pause container not counted) */
  readonly status?: PodColumns;
  /** the API server refused the pod (its problems say why); the rest of the cluster runs */
  readonly refused: boolean;
  /** the host end of the pod's veth pair, on the node (`vethf934b35e`) */
  readonly veth?: string;
  readonly position?: Position;
  readonly problems: readonly string[];
};

/** One endpoint kube-proxy DNATs to: a ready pod the selector matched, at the targetPort. */
export type EndpointLabel = {
  /** the pod behind it; none for an address a hand-written EndpointSlice gave */
  readonly pod?: string;
  readonly ip: string;
  readonly port: number;
};

export type ServicePortModel = {
  /** `default/web:http` */
  readonly portName: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: string;
  /** the port every node opens for it (NodePort, LoadBalancer) */
  readonly nodePort?: number;
  readonly endpoints: readonly EndpointLabel[];
};

export type ServiceModel = {
  /** namespace/name, `default/` left out (serviceRef) */
  readonly name: string;
  /** the allocated ClusterIP (or undefined while the scenario does not build) */
  readonly clusterIP?: string;
  readonly selector: string;
  /** from the engine's servicePorts when the cluster builds; the scenario's ports otherwise */
  readonly ports: readonly ServicePortModel[];
  /** whether endpoints are known (the cluster builds) */
  readonly resolved: boolean;
  readonly position?: Position;
  readonly problems: readonly string[];
};

export type CanvasModel = {
  readonly built: boolean;
  readonly subnets: readonly SubnetModel[];
  readonly routers: readonly RouterModel[];
  readonly nodes: readonly NodeModel[];
  readonly pods: readonly PodModel[];
  readonly services: readonly ServiceModel[];
  /** problems not attached to a drawn object (cluster settings) */
  readonly loose: readonly string[];
};

function problemsByObject(problems: readonly Problem[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of problems) {
    const list = m.get(p.object) ?? [];
    list.push(p.field ? `${p.field}: ${p.text}` : p.text);
    m.set(p.object, list);
  }
  return m;
}

function routerInterfaces(
  net: Network | undefined,
  name: string,
  subnets: readonly string[],
): RouterInterface[] {
  const ns = net?.namespace(name);
  if (!ns) return subnets.map((subnet) => ({ subnet }));
  return ns.devices.flatMap((d) => {
    const seg = parseSegment(d.segment);
    return seg?.kind === 'subnet' ? [{ dev: d.name, addr: addrText(d), subnet: seg.subnet }] : [];
  });
}

function portsText(c: Scenario['pods'][number]['containers'][number]): string {
  return (c.ports ?? []).map((p) => `:${p.containerPort}/${p.protocol ?? 'TCP'}`).join(' ');
}

export function canvasModel(s: Scenario, build: BuildResult): CanvasModel {
  const net = build.ok ? build.network : undefined;
  const problems = problemsByObject(buildProblems(build));
  const drawn = new Set<string>();
  const take = (object: string) => {
    drawn.add(object);
    return problems.get(object) ?? [];
  };

  const subnets = s.subnets.map((x): SubnetModel => ({
    name: x.name,
    cidr: x.cidr,
    gateway: x.gateway,
    srcDstCheck: x.srcDstCheck,
    position: x.position,
    problems: take(objectKey('subnet', x.name)),
  }));
  const routers = s.routers.map((r): RouterModel => ({
    name: r.name,
    subnets: r.subnets,
    interfaces: routerInterfaces(net, r.name, r.subnets),
    position: r.position,
    problems: take(objectKey('router', r.name)),
  }));
  const vethOf = new Map<string, string>();
  const nodes = s.nodes.map((n): NodeModel => {
    const d = hostDevices(net, n.name);
    for (const dev of d.ns?.devices ?? [])
      if (dev.kind === 'veth' && dev.peer) vethOf.set(dev.peer.namespace, dev.name);
    const events = (net?.events ?? [])
      .filter((e) => e.object === objectKey('node', n.name) && e.type === 'Warning')
      .map((e) => `${e.reason}: ${e.message}`);
    return {
      name: n.name,
      subnet: n.subnet,
      ip: d.eth0 ?? n.ip,
      podCidr: n.podCidr,
      // naive IPAM: the bridge serves Docker's /16 whatever the controller allocated
      podCidrUnused: s.cluster.ipam === 'naive',
      blocks: d.blocks,
      errors: d.ns?.installErrors ?? [],
      events,
      bridge: d.bridge,
      routed: d.routed,
      tunnel: d.tunnel,
      refused: net !== undefined && d.ns === undefined,
      position: n.position,
      problems: take(objectKey('node', n.name)),
    };
  });
  const podsByIp = new Map<string, string[]>();
  for (const p of s.pods) {
    const ip = podAddress(net, podRef(p))?.ip.text;
    if (ip) podsByIp.set(ip, [...(podsByIp.get(ip) ?? []), podRef(p)]);
  }
  const pods = s.pods.map((p): PodModel => {
    // a pod is drawn, picked and keyed by namespace/name (`default/` left out)
    const ref = podRef(p);
    const eth0 = podAddress(net, ref);
    const ip = eth0?.ip.text;
    return {
      name: ref,
      node: p.node,
      ip,
      sameIp: ip ? (podsByIp.get(ip) ?? []).filter((x) => x !== ref) : [],
      ipLen: eth0?.len,
      containers: p.containers.map((c) => ({ name: c.name, ports: portsText(c) })),
      status: net?.podStatus.has(ref) ? podColumns(net, ref) : undefined,
      refused: net !== undefined && !net.podStatus.has(ref),
      veth: vethOf.get(ref),
      position: p.position,
      problems: take(objectKey('pod', ref)),
    };
  });
  const services = s.services.map((v): ServiceModel => {
    const ref = serviceRef(v);
    const info = net?.servicePorts.filter((p) => serviceRef(p.service) === ref);
    const nodePorts = v.type === 'NodePort' || v.type === 'LoadBalancer';
    return {
      name: ref,
      clusterIP: info?.[0]?.clusterIP.text ?? v.clusterIP,
      selector: Object.entries(v.selector)
        .map(([k, x]) => `${k}=${x}`)
        .join(','),
      ports: info
        ? info.map((p) => ({
            portName: p.portName,
            port: p.port.port,
            targetPort: p.port.targetPort,
            protocol: p.protocol.toUpperCase(),
            ...(nodePorts && p.port.nodePort ? { nodePort: p.port.nodePort } : {}),
            endpoints: p.endpoints.map((e) => ({
              ...(e.pod ? { pod: e.pod } : {}),
              ip: e.ip.text,
              port: e.port,
            })),
          }))
        : v.ports.map((p) => ({
            portName: p.name ?? '',
            port: p.port,
            targetPort: p.targetPort,
            protocol: p.protocol ?? 'TCP',
            endpoints: [],
          })),
      resolved: !!info,
      position: v.position,
      problems: take(serviceKey(v)),
    };
  });
  const loose = [...problems]
    .filter(([object]) => !drawn.has(object))
    .flatMap(([object, texts]) => texts.map((t) => `${object}: ${t}`));
  return { built: build.ok, subnets, routers, nodes, pods, services, loose };
}
