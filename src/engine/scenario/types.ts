/**
 * The scenario: what the user edits and shares (SPEC §1). Declarative, like
 * Kubernetes objects plus cluster flags. Allocations that real controllers
 * persist (node podCIDR, pod IP, the host-local cursor) are stored once made.
 */

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type SubnetName = Brand<string, 'SubnetName'>;
export type RouterName = Brand<string, 'RouterName'>;
export type NodeName = Brand<string, 'NodeName'>;
export type PodName = Brand<string, 'PodName'>;
export type ServiceName = Brand<string, 'ServiceName'>;

/**
 * - overlay: Flannel VXLAN
 * - direct: Flannel host-gw / Calico without encapsulation
 * - crossSubnet: Calico CrossSubnet / Flannel DirectRouting
 * - gateway: kubenet with a cloud route table (routers learn `<podCIDR> via <nodeIP>`)
 */
export const DATAPATHS = ['overlay', 'direct', 'crossSubnet', 'gateway'] as const;
export type Datapath = (typeof DATAPATHS)[number];

/** cluster: cidrset + host-local. naive: every bridge on Docker's 172.17.0.0/16. */
export const IPAM_MODES = ['cluster', 'naive'] as const;
export type IpamMode = (typeof IPAM_MODES)[number];

export interface Position {
  readonly x: number;
  readonly y: number;
}

export interface ClusterSettings {
  /** kube-controller-manager --cluster-cidr */
  readonly clusterCidr: string;
  /** kube-controller-manager --node-cidr-mask-size */
  readonly nodeCidrMaskSize: number;
  /** kubeadm serviceSubnet */
  readonly serviceCidr: string;
  /** kubelet maxPods */
  readonly maxPods: number;
  readonly datapath: Datapath;
  readonly ipam: IpamMode;
  /**
   * net.bridge.bridge-nf-call-iptables on every node (kubeadm's preflight insists on 1).
   * Off, a same-node Service reply is switched by the bridge past conntrack.
   */
  readonly bridgeNfCallIptables?: boolean;
  /**
   * cidrset's moving cursor (index of the next candidate block). The real
   * allocator keeps it in memory; storing it keeps "a freed block is reused only
   * after the cursor wraps" true across reloads.
   */
  readonly nodeCidrCursor?: number;
}

export interface Subnet {
  readonly name: SubnetName;
  readonly cidr: string;
  /** the subnet gateway: the router address nodes use as `default via` */
  readonly gateway: string;
  /** cloud source/destination check (AWS SourceDestCheck, GCP without canIpForward) */
  readonly srcDstCheck: boolean;
  /** underlay MTU; flannel.1 gets this minus the 50 bytes of VXLAN overhead */
  readonly mtu?: number;
  readonly position?: Position;
}

export interface Router {
  readonly name: RouterName;
  /** one interface per subnet, eth0, eth1, … in this order (SPEC §4b) */
  readonly subnets: readonly SubnetName[];
  readonly position?: Position;
}

export interface KubeNode {
  readonly name: NodeName;
  readonly subnet: SubnetName;
  readonly ip: string;
  /** allocated by cidrset, or pinned by hand */
  readonly podCidr?: string;
  readonly podCidrPinned?: boolean;
  /** host-local's last_reserved_ip.0: the round-robin cursor */
  readonly lastReservedIp?: string;
  readonly position?: Position;
}

export type Protocol = 'TCP' | 'UDP';

export interface ContainerPort {
  readonly containerPort: number;
  readonly protocol?: Protocol;
  readonly name?: string;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly ports?: readonly ContainerPort[];
}

export interface Pod {
  readonly name: PodName;
  /** the pod's Kubernetes namespace; `default` when left out. Its identity is namespace/name (ids.ts) */
  readonly namespace?: string;
  readonly node: NodeName;
  readonly labels?: Readonly<Record<string, string>>;
  readonly containers: readonly Container[];
  /** app containers also share the pause container's PID namespace (spec.shareProcessNamespace) */
  readonly shareProcessNamespace?: boolean;
  /** allocated by host-local when the sandbox is created */
  readonly ip?: string;
  /** status.phase as a cluster reported it (an import); podhop derives its own */
  readonly phase?: string;
  readonly position?: Position;
}

/** A Kubernetes Namespace; the API server labels each with kubernetes.io/metadata.name. */
export interface KubeNamespace {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol?: Protocol;
}

export interface Service {
  readonly name: ServiceName;
  readonly namespace?: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePort[];
  readonly clusterIP?: string;
  readonly position?: Position;
}

export const SCENARIO_VERSION = 2;

export interface Scenario {
  readonly version: typeof SCENARIO_VERSION;
  readonly cluster: ClusterSettings;
  readonly subnets: readonly Subnet[];
  readonly routers: readonly Router[];
  readonly nodes: readonly KubeNode[];
  readonly pods: readonly Pod[];
  readonly services: readonly Service[];
  /** beyond `default` and `kube-system`, which always exist */
  readonly namespaces?: readonly KubeNamespace[];
  /** networking.k8s.io/v1 NetworkPolicy objects, kept verbatim (not enforced yet) */
  readonly networkPolicies?: readonly Readonly<Record<string, unknown>>[];
}
