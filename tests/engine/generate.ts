/**
 * Scenario generators shared by the benchmarks and the property tests:
 * `clusterScenario` builds one big, regular, valid cluster; `arbScenario` and
 * `arbProbe` are fast-check arbitraries for small random (but valid) ones.
 */
import fc from 'fast-check';
import {
  broadcastAddress,
  nthAddress,
  parseIp,
  parsePrefix,
  prefix,
  prefixFromBits,
} from '../../src/engine/addr/ip';
import { allocate } from '../../src/engine/ipam/allocate';
import { routerAddresses } from '../../src/engine/ipam/routerAddress';
import { DEFAULT_CLUSTER, NAIVE_POD_RANGE } from '../../src/engine/scenario/defaults';
import {
  DATAPATHS,
  IPAM_MODES,
  SCENARIO_VERSION,
  type Container,
  type Datapath,
  type KubeNode,
  type NodeName,
  type Pod,
  type PodName,
  type Router,
  type RouterName,
  type Scenario,
  type Subnet,
  type SubnetName,
} from '../../src/engine/scenario/types';
import type { Probe, ProbeProtocol } from '../../src/engine/walk/probe';

const nginx: Container = {
  name: 'app',
  image: 'nginx:1.25',
  ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
};

export interface ClusterOptions {
  readonly nodes: number;
  readonly podsPerNode: number;
  readonly datapath?: Datapath;
  /** underlay subnets carved out of 192.168.0.0/16, joined by one router (default 1) */
  readonly subnets?: number;
}

export const nodeName = (i: number): NodeName => `node-${i}` as NodeName;
export const podName = (node: number, j: number): PodName => `pod-${node}-${j}` as PodName;

/**
 * A regular cluster: `nodes` nodes spread round-robin over `subnets` equal
 * slices of 192.168.0.0/16 (one router joins them all), `podsPerNode` one-container
 * pods on each. Nothing is allocated: nodes have no podCIDR and pods no IP, so
 * building it runs cidrset and host-local. Cluster CIDR 10.128.0.0/9 holds
 * 32768 /24s; the service CIDR 10.96.0.0/12 lies outside it.
 */
export function clusterScenario(opts: ClusterOptions): Scenario {
  const { nodes, podsPerNode } = opts;
  const count = Math.max(1, Math.floor(opts.subnets ?? 1));
  const len = 16 + Math.ceil(Math.log2(count));
  const underlay = parsePrefix('192.168.0.0/16');
  if (!underlay.ok || len > 30)
    throw new Error(`cannot split 192.168.0.0/16 into ${count} subnets`);
  const size = 2 ** (32 - len);
  const perSubnet = Math.ceil(nodes / count);
  // network, gateway (.1) and broadcast are not node addresses
  if (perSubnet > size - 3)
    throw new Error(`${nodes} nodes do not fit in ${count} subnets of /${len} (${size - 3} each)`);
  const subnets: Subnet[] = [];
  for (let k = 0; k < count; k++) {
    const cidr = prefixFromBits(4, underlay.value.bits + BigInt(k * size), len);
    subnets.push({
      name: `subnet-${k}` as SubnetName,
      cidr: cidr.text,
      gateway: nthAddress(cidr, 1n).text,
      srcDstCheck: false,
    });
  }
  const routers: Router[] = [{ name: 'rtr' as RouterName, subnets: subnets.map((s) => s.name) }];
  const nodeList: KubeNode[] = [];
  const pods: Pod[] = [];
  for (let i = 0; i < nodes; i++) {
    const k = i % count;
    const sub = subnets[k]!;
    const cidr = parsePrefix(sub.cidr);
    if (!cidr.ok) throw new Error(cidr.error.text);
    nodeList.push({
      name: nodeName(i),
      subnet: sub.name,
      ip: nthAddress(cidr.value, BigInt(2 + Math.floor(i / count))).text,
    });
    for (let j = 0; j < podsPerNode; j++) {
      pods.push({
        name: podName(i, j),
        node: nodeName(i),
        labels: { app: 'web' },
        containers: [nginx],
      });
    }
  }
  return {
    version: SCENARIO_VERSION,
    cluster: {
      ...DEFAULT_CLUSTER,
      clusterCidr: '10.128.0.0/9',
      nodeCidrMaskSize: 24,
      serviceCidr: '10.96.0.0/12',
      maxPods: Math.max(DEFAULT_CLUSTER.maxPods, podsPerNode),
      datapath: opts.datapath ?? 'overlay',
      ipam: 'cluster',
    },
    subnets,
    routers,
    nodes: nodeList,
    pods,
    services: [],
  };
}

// ---------------------------------------------------------------------------
// fast-check arbitraries

const CONTAINERS: readonly Container[] = [
  { name: 'shell', image: 'ubuntu:22.04' },
  nginx,
  {
    name: 'dns',
    image: 'coredns:1.11',
    ports: [
      { containerPort: 53, protocol: 'UDP', name: 'dns' },
      { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' },
    ],
  },
];

/** where pinned podCIDRs come from: the cluster CIDRs of arbScenario are all at its start */
const PIN_POOL = prefixFromBits(4, 0xac100000n, 16); // 172.16.0.0/16

/**
 * A stored pod IP, as a hand-edited or older file may carry one: none (the
 * usual case), an offset into one of the first node blocks or into the pod's
 * own node's block (so network, gateway and broadcast addresses come up), one
 * of Docker's first addresses (naive IPAM), or a copy of the address an
 * earlier pod stored — the duplicates host-local must never let two pods keep.
 */
const arbStoredIp = fc.option(
  fc.oneof(
    fc.record({ kind: fc.constant('block' as const), block: fc.nat({ max: 3 }), at: fc.nat(5) }),
    fc.record({ kind: fc.constant('own' as const), at: fc.nat(5) }),
    fc.record({ kind: fc.constant('docker' as const), at: fc.nat(5) }),
    fc.record({ kind: fc.constant('copy' as const), from: fc.nat(20) }),
  ),
  { freq: 3 },
);

const arbNodeSpec = (subnetCount: number) =>
  fc.record({
    subnet: fc.nat({ max: subnetCount - 1 }),
    pods: fc.array(
      fc.record({ container: fc.nat({ max: CONTAINERS.length - 1 }), ip: arbStoredIp }),
      { maxLength: 4 },
    ),
    /** a podCIDR pinned by hand (as the seed does), one node in four */
    pinned: fc.nat({ max: 3 }).map((x) => x === 0),
  });

/**
 * A small random valid scenario: 1–3 underlay subnets 10.100.k.0/24 (gateway
 * .1), one router on a non-empty subset of them (sometimes a second one on
 * another subset), 1–5 nodes (node i at .2+i on its subnet), 0–4 pods a node,
 * any datapath and IPAM mode. The cluster CIDR is sometimes only one or two
 * node blocks, so later nodes get no podCIDR (CIDRNotAvailable); one node in
 * four has its podCIDR pinned by hand; the node mask is sometimes /28 or /30
 * (host-local runs out) or /31, /32 (no room for a pod at all), and maxPods is
 * sometimes 2 (the kubelet rejects the rest). About one pod in four carries a
 * stored IP (see arbStoredIp), duplicates included.
 */
export function arbScenario(): fc.Arbitrary<Scenario> {
  return fc
    .integer({ min: 1, max: 3 })
    .chain((subnetCount) =>
      fc.record({
        subnetCount: fc.constant(subnetCount),
        srcDstCheck: fc.array(fc.boolean(), { minLength: subnetCount, maxLength: subnetCount }),
        routerSubnets: fc.subarray(
          Array.from({ length: subnetCount }, (_, k) => k),
          { minLength: 1 },
        ),
        /** sometimes a second router, sharing subnets with the first (it takes their .254) */
        secondRouter: fc.option(
          fc.subarray(
            Array.from({ length: subnetCount }, (_, k) => k),
            { minLength: 1 },
          ),
          { freq: 3 },
        ),
        nodes: fc.array(arbNodeSpec(subnetCount), { minLength: 1, maxLength: 5 }),
        datapath: fc.constantFrom(...DATAPATHS),
        ipam: fc.constantFrom(...IPAM_MODES),
        mask: fc.constantFrom(24, 28, 30, 31, 32),
        /** cluster CIDR = mask − spare bits: 1, 2, 4 or 256 node blocks */
        spare: fc.constantFrom(0, 1, 2, 8),
        maxPods: fc.constantFrom(2, 110),
        mtu: fc.constantFrom(undefined, 1500, 9001),
      }),
    )
    .map((r) => {
      const subnets: Subnet[] = r.srcDstCheck.map((check, k) => ({
        name: `subnet-${k}` as SubnetName,
        cidr: `10.100.${k}.0/24`,
        gateway: `10.100.${k}.1`,
        srcDstCheck: check,
        ...(r.mtu === undefined ? {} : { mtu: r.mtu }),
      }));
      const nodes: KubeNode[] = r.nodes.map((n, i) => ({
        name: nodeName(i),
        subnet: subnets[n.subnet]!.name,
        ip: `10.100.${n.subnet}.${2 + i}`,
        // block 3 + 7i of 172.16.0.0/16: distinct per node, inside or outside the cluster CIDR
        ...(n.pinned
          ? {
              podCidr: prefixFromBits(
                4,
                PIN_POOL.bits + (BigInt(3 + 7 * i) << BigInt(32 - r.mask)),
                r.mask,
              ).text,
              podCidrPinned: true,
            }
          : {}),
      }));
      const blockOf = (i: bigint) =>
        prefixFromBits(4, PIN_POOL.bits + (i << BigInt(32 - r.mask)), r.mask);
      const stored: string[] = [];
      const pods: Pod[] = r.nodes.flatMap((n, i) =>
        n.pods.map((spec, j) => {
          const own = nodes[i]?.podCidr ?? blockOf(BigInt(i)).text;
          const pick = spec.ip;
          const ip =
            pick === null
              ? undefined
              : pick.kind === 'block'
                ? nthAddress(blockOf(BigInt(pick.block)), BigInt(pick.at)).text
                : pick.kind === 'own'
                  ? nthAddress(prefix(own), BigInt(pick.at)).text
                  : pick.kind === 'docker'
                    ? `172.17.0.${pick.at}`
                    : stored[pick.from % Math.max(1, stored.length)];
          if (ip !== undefined) stored.push(ip);
          return {
            name: podName(i, j),
            node: nodeName(i),
            labels: { app: 'web' },
            containers: [CONTAINERS[spec.container]!],
            ...(ip === undefined ? {} : { ip }),
          };
        }),
      );
      const scenario: Scenario = {
        version: SCENARIO_VERSION,
        cluster: {
          ...DEFAULT_CLUSTER,
          clusterCidr: `172.16.0.0/${r.mask - r.spare}`,
          nodeCidrMaskSize: r.mask,
          serviceCidr: '10.96.0.0/12',
          maxPods: r.maxPods,
          datapath: r.datapath,
          ipam: r.ipam,
        },
        subnets,
        routers: [
          { name: 'rtr' as RouterName, subnets: r.routerSubnets.map((k) => subnets[k]!.name) },
          ...(r.secondRouter === null
            ? []
            : [
                {
                  name: 'rtr2' as RouterName,
                  subnets: r.secondRouter.map((k) => subnets[k]!.name),
                },
              ]),
        ],
        nodes,
        pods,
        services: [],
      };
      return scenario;
    });
}

/**
 * Every address a scenario implies, allocated or not: subnet gateways and the
 * addresses later routers hold, node IPs, each podCIDR's network (flannel.1),
 * gateway (cni0) and broadcast addresses, each running pod's IP, Docker's
 * bridge 172.17.0.1 for naive IPAM, and the loopback.
 */
export function scenarioAddresses(s: Scenario): string[] {
  const a = allocate(s);
  const out = new Set<string>();
  for (const sub of s.subnets) out.add(sub.gateway);
  // a later router on a subnet holds an address of its own (.254 of a /24)
  for (const byRouter of routerAddresses(s).values())
    for (const a of byRouter.values()) if (a) out.add(a.text);
  for (const n of a.scenario.nodes) {
    out.add(n.ip);
    if (n.podCidr === undefined) continue;
    const p = parsePrefix(n.podCidr);
    if (!p.ok) continue;
    out.add(nthAddress(p.value, 0n).text);
    out.add(nthAddress(p.value, 1n).text);
    out.add(broadcastAddress(p.value).text);
  }
  for (const ip of a.podIp.values()) out.add(ip.text);
  if (s.cluster.ipam === 'naive') {
    const naive = parsePrefix(NAIVE_POD_RANGE);
    if (naive.ok) out.add(nthAddress(naive.value, 1n).text);
  }
  out.add('127.0.0.1');
  return [...out].filter((t) => parseIp(t).ok);
}

const arbRandomAddress: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }))
    .map(([b, c, d]) => `10.${b}.${c}.${d}`),
  fc
    .tuple(fc.integer({ min: 16, max: 31 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }))
    .map(([b, c, d]) => `172.${b}.${c}.${d}`),
  // near the scenario's own ranges, where a miss is most interesting
  fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 255 })).map(([c, d]) => `10.100.${c}.${d}`),
  fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 255 })).map(([c, d]) => `172.16.${c}.${d}`),
  // "this host" (connect() goes to 127.0.0.1) and the limited broadcast
  fc.constantFrom('0.0.0.0', '255.255.255.255'),
);

/**
 * A probe in a scenario: ping, UDP or TCP, TTL 1–64, from one of `sources`
 * (pass `network.namespaceNames`; by default every router, node and pod name)
 * to an address the scenario uses or a random 10.x/172.x one.
 */
export function arbProbe(s: Scenario, sources?: readonly string[]): fc.Arbitrary<Probe> {
  const from = sources ?? [
    ...s.routers.map((r) => r.name),
    ...s.nodes.map((n) => n.name),
    ...s.pods.map((p) => p.name),
  ];
  if (from.length === 0) throw new Error('arbProbe needs at least one source namespace');
  const known = scenarioAddresses(s);
  const dst =
    known.length > 0
      ? fc.oneof(
          { arbitrary: fc.constantFrom(...known), weight: 3 },
          { arbitrary: arbRandomAddress, weight: 1 },
        )
      : arbRandomAddress;
  return fc.record(
    {
      from: fc.constantFrom(...from),
      dst,
      protocol: fc.constantFrom<ProbeProtocol>('icmp', 'udp', 'tcp'),
      dport: fc.constantFrom(22, 53, 80, 8080, 10250, 33434),
      ttl: fc.integer({ min: 1, max: 64 }),
      size: fc.constantFrom(56, 1400, 1472, 8000),
    },
    { requiredKeys: ['from', 'dst', 'protocol', 'ttl'] },
  );
}
