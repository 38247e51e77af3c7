import { podRef } from '../scenario/ids';
import { parseIp, parsePrefix, type IpAddr, type Prefix } from '../addr/ip';
import type { Allocation } from '../ipam/allocate';
import { DEFAULT_UNDERLAY_MTU } from '../scenario/defaults';
import { servicePorts, type ServicePortInfo } from './endpoints';
import type { IptTable } from './iptables';
import {
  DEFAULT_KUBE_PROXY,
  kubeProxyTables,
  tablesDependOnNode,
  type KubeProxySettings,
} from './kubeProxy';
import { cniOf } from './cni/registry';
import type { Cni } from './cni/types';
import type { KubeNode, Pod, Router, Scenario, Subnet } from '../scenario/types';

export interface SubnetInfo {
  readonly subnet: Subnet;
  readonly cidr: Prefix;
  readonly gateway: IpAddr;
  readonly mtu: number;
}

export interface NodeInfo {
  readonly node: KubeNode;
  readonly ip: IpAddr;
  readonly subnet: SubnetInfo;
  /**
   * the range its pods are numbered from: the podCIDR (or Docker's /16 under naive IPAM)
   * a bridge serves, or Calico's block
   */
  readonly bridgeRange?: Prefix;
  /** running pods, in scenario order */
  readonly pods: readonly PodInfo[];
}

export interface PodInfo {
  readonly pod: Pod;
  readonly ip: IpAddr;
}

/**
 * Indexes over an allocated scenario, built once and cheap (no tables): what
 * every lazy namespace build needs to know about its peers.
 */
export interface BuildContext {
  readonly scenario: Scenario;
  /** the CNI the cluster runs: everything it installs comes from here */
  readonly cni: Cni;
  readonly subnets: ReadonlyMap<string, SubnetInfo>;
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly nodeOrder: readonly NodeInfo[];
  readonly pods: ReadonlyMap<string, PodInfo & { readonly node: NodeInfo }>;
  readonly routers: ReadonlyMap<string, Router>;
  readonly nodesBySubnet: ReadonlyMap<string, readonly NodeInfo[]>;
  readonly routersBySubnet: ReadonlyMap<string, readonly Router[]>;
  readonly servicePorts: readonly ServicePortInfo[];
  /**
   * kube-proxy's tables on a node, built on first use: the same on every node unless a
   * Service's traffic policy or the node-port addresses make them the node's own
   */
  kubeProxyTables(node: NodeInfo): { readonly nat: IptTable; readonly filter: IptTable };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Assumes a validated scenario (buildNetwork validates first). */
export function buildContext(a: Allocation): BuildContext {
  const s = a.scenario;
  const subnets = new Map<string, SubnetInfo>();
  for (const sub of s.subnets) {
    const cidr = parsePrefix(sub.cidr);
    const gateway = parseIp(sub.gateway);
    if (cidr.ok && gateway.ok)
      subnets.set(sub.name, {
        subnet: sub,
        cidr: cidr.value,
        gateway: gateway.value,
        mtu: sub.mtu ?? DEFAULT_UNDERLAY_MTU,
      });
  }
  const podsByNode = new Map<string, PodInfo[]>();
  for (const p of s.pods) {
    const ip = a.podIp.get(podRef(p));
    if (ip) push(podsByNode, p.node, { pod: p, ip });
  }
  const nodes = new Map<string, NodeInfo>();
  const nodeOrder: NodeInfo[] = [];
  const nodesBySubnet = new Map<string, NodeInfo[]>();
  const pods = new Map<string, PodInfo & { node: NodeInfo }>();
  for (const n of s.nodes) {
    const subnet = subnets.get(n.subnet);
    const ip = parseIp(n.ip);
    if (!subnet || !ip.ok) continue;
    const bridgeRange = a.bridgeRange.get(n.name);
    const info: NodeInfo = {
      node: n,
      ip: ip.value,
      subnet,
      pods: podsByNode.get(n.name) ?? [],
      ...(bridgeRange ? { bridgeRange } : {}),
    };
    nodes.set(n.name, info);
    nodeOrder.push(info);
    push(nodesBySubnet, n.subnet, info);
    for (const p of info.pods) pods.set(podRef(p.pod), { ...p, node: info });
  }
  const routers = new Map<string, Router>();
  const routersBySubnet = new Map<string, Router[]>();
  for (const r of s.routers) {
    routers.set(r.name, r);
    for (const sn of r.subnets) push(routersBySubnet, sn, r);
  }
  const ports = servicePorts(s, a.podIp, a.podStatus);
  const settings = kubeProxySettings(s);
  const perNode = tablesDependOnNode(s.services, settings);
  const tables = new Map<string, { nat: IptTable; filter: IptTable }>();
  const kubeProxyTablesOf = (n: NodeInfo) => {
    const key = perNode ? n.node.name : '';
    let t = tables.get(key);
    if (!t)
      tables.set(key, (t = kubeProxyTables(ports, { name: n.node.name, ips: [n.ip] }, settings)));
    return t;
  };
  return {
    scenario: s,
    cni: cniOf(s.cluster),
    subnets,
    nodes,
    nodeOrder,
    pods,
    routers,
    nodesBySubnet,
    routersBySubnet,
    servicePorts: ports,
    kubeProxyTables: kubeProxyTablesOf,
  };
}

/** kube-proxy's configuration: the scenario's KubeProxyConfiguration over kube-proxy's defaults */
export function kubeProxySettings(s: Scenario): KubeProxySettings {
  const c = s.cluster.kubeProxy ?? {};
  const cidr = parsePrefix(c.clusterCIDR ?? s.cluster.clusterCidr);
  return {
    ...DEFAULT_KUBE_PROXY,
    ...(cidr.ok ? { clusterCidr: cidr.value } : {}),
    ...(c.masqueradeBit !== undefined ? { masqueradeBit: c.masqueradeBit } : {}),
    ...(c.masqueradeAll !== undefined ? { masqueradeAll: c.masqueradeAll } : {}),
    ...(c.localhostNodePorts !== undefined ? { localhostNodePorts: c.localhostNodePorts } : {}),
    ...(c.nodePortAddresses ? { nodePortAddresses: c.nodePortAddresses } : {}),
  };
}
