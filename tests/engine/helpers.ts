import {
  buildNetwork,
  DEFAULT_CLUSTER,
  example,
  trace,
  type ExampleName,
  type ExampleOptions,
  type Hop,
  type Probe,
  SCENARIO_VERSION,
  type ClusterSettings,
  type KubeNode,
  type Network,
  type NodeName,
  type Pod,
  type PodName,
  type Scenario,
  type SubnetName,
} from '../../src/engine/index';

/** Small builders so a test reads like the spec: a cluster, its nodes, its pods. */
export function cluster(
  settings: Partial<ClusterSettings>,
  nodes: KubeNode[],
  pods: Pod[] = [],
): Scenario {
  return {
    version: SCENARIO_VERSION,
    cluster: { ...DEFAULT_CLUSTER, ...settings },
    subnets: [
      {
        name: 'lan' as SubnetName,
        cidr: '10.100.0.0/24',
        gateway: '10.100.0.1',
        srcDstCheck: false,
      },
    ],
    routers: [{ name: 'gw' as never, subnets: ['lan' as SubnetName] }],
    nodes,
    pods,
    services: [],
  };
}

export const node = (name: string, ip: string, extra: Partial<KubeNode> = {}): KubeNode => ({
  name: name as NodeName,
  subnet: 'lan' as SubnetName,
  ip,
  ...extra,
});

export const pod = (name: string, on: string, extra: Partial<Pod> = {}): Pod => ({
  name: name as PodName,
  node: on as NodeName,
  containers: [{ name: 'app', image: 'busybox' }],
  ...extra,
});

export function network(s: Scenario): Network {
  const built = buildNetwork(s);
  if (!built.ok) throw new Error(built.problems.map((p) => `${p.object}: ${p.text}`).join('\n'));
  return built.network;
}

/** A built-in example, built (a test of the walk starts from one). */
export function exampleNetwork(name: ExampleName, opts: ExampleOptions = {}): Network {
  return network(example(name, opts));
}

/** A probe sent and traced (ping unless told otherwise); a refused probe fails the test. */
export function send(
  n: Network,
  probe: Omit<Probe, 'protocol'> & { protocol?: Probe['protocol'] },
) {
  const t = trace(n, { protocol: 'icmp', ...probe });
  if (!t.ok) throw new Error(t.error.text);
  return t.value;
}

/** The request's (or another leg's) hops as namespace:action. */
export const path = (hops: readonly Hop[], leg = 'request') =>
  hops.filter((h) => h.leg === leg).map((h) => `${h.namespace}:${h.action}`);
