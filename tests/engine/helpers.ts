import {
  buildNetwork,
  DEFAULT_CLUSTER,
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
