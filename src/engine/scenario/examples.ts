import { DEFAULT_CLUSTER } from './defaults';
import { withCni } from './cni';
import type {
  CniName,
  Container,
  Datapath,
  IpamMode,
  KubeNode,
  NodeName,
  Pod,
  PodName,
  Router,
  RouterName,
  Scenario,
  ServiceName,
  Subnet,
  SubnetName,
} from './types';
import { SCENARIO_VERSION } from './types';

const subnet = (name: string, cidr: string, gateway: string, x: number, y: number): Subnet => ({
  name: name as SubnetName,
  cidr,
  gateway,
  srcDstCheck: false,
  position: { x, y },
});
const router = (name: string, subnets: string[], x: number, y: number): Router => ({
  name: name as RouterName,
  subnets: subnets as SubnetName[],
  position: { x, y },
});
const node = (
  name: string,
  sub: string,
  ip: string,
  podCidr: string,
  x: number,
  y: number,
): KubeNode => ({
  name: name as NodeName,
  subnet: sub as SubnetName,
  ip,
  podCidr,
  podCidrPinned: true,
  position: { x, y },
});
const pod = (
  name: string,
  on: string,
  containers: Container[],
  labels: Record<string, string>,
  x: number,
  y: number,
): Pod => ({ name: name as PodName, node: on as NodeName, labels, containers, position: { x, y } });

const ubuntu: Container = { name: 'ubuntu', image: 'ubuntu:22.04' };
const nginx: Container = {
  name: 'nginx',
  image: 'nginx:1.25',
  ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
};
const web: Container = {
  name: 'web',
  image: 'python:3.12-slim',
  ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
};

function seed(): Scenario {
  return {
    version: SCENARIO_VERSION,
    cluster: { ...DEFAULT_CLUSTER, clusterCidr: '172.17.0.0/16' },
    subnets: [subnet('vpc-subnet', '10.100.0.0/24', '10.100.0.1', 0, 0)],
    routers: [router('vpc', ['vpc-subnet'], 380, -140)],
    nodes: [
      node('node1', 'vpc-subnet', '10.100.0.2', '172.17.1.0/24', 40, 60),
      node('node2', 'vpc-subnet', '10.100.0.3', '172.17.2.0/24', 440, 60),
    ],
    pods: [
      // the seed article's multi-container pod: one network namespace for ubuntu and nginx
      pod('pod1a', 'node1', [ubuntu, nginx], { app: 'shell' }, 20, 60),
      pod('pod1b', 'node1', [web], { app: 'web' }, 20, 220),
      pod('pod2a', 'node2', [web], { app: 'web' }, 20, 60),
    ],
    // the seed's closing point: clients reach web pods through one stable ClusterIP
    services: [
      {
        name: 'web' as ServiceName,
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
        clusterIP: '10.96.0.10',
        position: { x: 640, y: -150 },
      },
    ],
  };
}

function xsubnet(): Scenario {
  return {
    version: SCENARIO_VERSION,
    cluster: { ...DEFAULT_CLUSTER, clusterCidr: '172.17.0.0/16' },
    subnets: [
      subnet('subnet-a', '10.100.0.0/24', '10.100.0.1', 0, 0),
      subnet('subnet-b', '10.100.1.0/24', '10.100.1.1', 900, 0),
    ],
    routers: [router('rtr', ['subnet-a', 'subnet-b'], 760, -140)],
    nodes: [
      node('node1', 'subnet-a', '10.100.0.2', '172.17.1.0/24', 40, 60),
      node('node2', 'subnet-a', '10.100.0.3', '172.17.2.0/24', 440, 60),
      node('node3', 'subnet-b', '10.100.1.2', '172.17.3.0/24', 40, 60),
    ],
    pods: [
      pod('pod1', 'node1', [web], { app: 'web' }, 20, 60),
      pod('pod2', 'node2', [web], { app: 'web' }, 20, 60),
      pod('pod3', 'node3', [web], { app: 'web' }, 20, 60),
    ],
    services: [],
  };
}

/**
 * The seed's nodes, pods and Service with a second subnet behind the router `rtr` and
 * node3 on it (issue 9): where BGP's direct routes stop at the router and CrossSubnet
 * encapsulates only to node3.
 */
export function seedXsubnet(): Scenario {
  const s = seed();
  const x = xsubnet();
  return {
    ...s,
    subnets: x.subnets,
    routers: x.routers,
    nodes: [...s.nodes.map((n) => ({ ...n, subnet: 'subnet-a' as SubnetName })), x.nodes[2]!],
    pods: [...s.pods, pod('pod3a', 'node3', [web], { app: 'web' }, 20, 60)],
  };
}

export interface ExampleOptions {
  readonly datapath?: Datapath;
  /** the CNI to run (its datapath with it, felix with Calico); wins over `datapath` */
  readonly cni?: CniName;
  readonly ipam?: IpamMode;
  /** turn the cloud source/destination check on for every subnet */
  readonly srcCheck?: boolean;
}

export const EXAMPLES = {
  /** the seed article's two-node cluster */
  seed,
  /** two subnets joined by a router: where direct routing stops working */
  xsubnet,
  /** the seed cluster with every bridge on Docker's 172.17.0.0/16 */
  naive: (): Scenario => {
    const s = seed();
    return { ...s, cluster: { ...s.cluster, ipam: 'naive' } };
  },
  /** the seed with node3 on a second subnet behind `rtr` (issue 9's Calico lab) */
  'seed-xsubnet': seedXsubnet,
} as const;

export type ExampleName = keyof typeof EXAMPLES;
export const EXAMPLE_NAMES = Object.keys(EXAMPLES) as ExampleName[];

export function isExampleName(name: string): name is ExampleName {
  return Object.hasOwn(EXAMPLES, name);
}

export function example(name: ExampleName, opts: ExampleOptions = {}): Scenario {
  const s = EXAMPLES[name]();
  const cluster = {
    ...s.cluster,
    ...(opts.datapath ? { datapath: opts.datapath } : {}),
    ...(opts.ipam ? { ipam: opts.ipam } : {}),
  };
  const calico = opts.cni?.startsWith('calico') ?? false;
  return {
    ...s,
    cluster: opts.cni ? withCni(cluster, opts.cni) : cluster,
    subnets: opts.srcCheck ? s.subnets.map((x) => ({ ...x, srcDstCheck: true })) : s.subnets,
    // calico-ipam hands out a block's lowest free ordinal (the tunnel takes the first); the
    // Calico lab kept the seed's addresses by pinning them (cni.projectcalico.org/ipAddrs),
    // so the example pins them too: pod1a .2, pod1b .3 on node1, pod2a .2 on node2, …
    pods: calico
      ? s.pods.map((p) => {
          const ip = SEED_POD_IPS[p.name];
          return p.ip || !ip ? p : { ...p, ip };
        })
      : s.pods,
  };
}

/** The seed's pod addresses, as host-local gives them under the seed's podCIDRs. */
const SEED_POD_IPS: Readonly<Record<string, string | undefined>> = {
  pod1a: '172.17.1.2',
  pod1b: '172.17.1.3',
  pod2a: '172.17.2.2',
  pod3a: '172.17.3.2',
};
