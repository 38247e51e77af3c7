import type { IpAddr, Prefix } from '../addr/ip';
import type { SegmentId } from '../scenario/ids';
import type { IptTable } from './iptables';
import type { ServicePortInfo } from './endpoints';
import type { ClusterEvent, PodStatus } from '../ipam/allocate';
import type { Problem } from '../scenario/problems';
import type { NodeName, Pod, Scenario } from '../scenario/types';

export type NamespaceKind = 'pod' | 'node' | 'router';
export type DeviceKind = Device['kind'];

export interface InterfaceAddress {
  readonly ip: IpAddr;
  readonly len: number;
  readonly scope: 'host' | 'global';
}

/** A VXLAN device's own settings (`ip -d link show flannel.1`). */
export interface VxlanInfo {
  readonly vni: number;
  readonly dstport: number;
  readonly local: IpAddr;
  /** the underlay device (`dev eth0`) */
  readonly dev: string;
}

/**
 * An IPIP tunnel's settings (`ip -d link show tunl0`). Calico's tunl0 is the fallback
 * device ipip.c creates (no remote, no local): it takes protocol 4 from any peer, and its
 * outer header gets the node's address as source (the route to the gateway picks it),
 * the TTL of the inner packet (`ttl inherit`), DF copied from the inner, tos 0.
 */
export interface IpipInfo {
  readonly ttl: 'inherit';
  /** the outer header's TOS (tnl_params tos 0: not inherited) */
  readonly tos: number;
}

/** Per-interface sysctls the walk obeys (net.ipv4.conf.<dev>.*), where a CNI sets them. */
export interface DeviceSysctls {
  /** proxy_arp: answer ARP for an address routed out of another interface (arp.c arp_fwd_proxy) */
  readonly proxyArp?: boolean;
  /** rp_filter: 1 strict, 2 loose (Felix sets 1 on workload interfaces) */
  readonly rpFilter?: 0 | 1 | 2;
  /** route_localnet: 127/8 may be routed from and to this interface */
  readonly routeLocalnet?: boolean;
  /** proxy_delay: jiffies a proxy-ARP reply waits (0: at once) */
  readonly proxyDelay?: number;
}

interface DeviceBase {
  readonly name: string;
  readonly index: number;
  readonly mac: string;
  readonly mtu: number;
  readonly state: 'UP' | 'UNKNOWN' | 'DOWN';
  readonly addresses: readonly InterfaceAddress[];
  /** bridge this device is a port of (`master cni0`) */
  readonly master?: string;
  /**
   * the bridge port's hairpin mode: the bridge may send a frame back out the port it came in
   * on (br_forward.c should_deliver); the CNI bridge plugin's `hairpinMode` sets it
   */
  readonly hairpin?: boolean;
  /** the other end of a veth pair (`eth0@if4` prints the peer's ifindex) */
  readonly peer?: { readonly namespace: string; readonly device: string; readonly index: number };
  /** the L2 segment this device sends on: an underlay subnet, or a node's bridge domain */
  readonly segment?: SegmentId;
  readonly sysctls?: DeviceSysctls;
}

/** A device that puts frames on an L2 segment (or loops them back). */
export interface LinkDevice extends DeviceBase {
  readonly kind: 'loopback' | 'ethernet' | 'veth' | 'bridge';
  readonly vxlan?: never;
  readonly ipip?: never;
}

/** A VXLAN device (flannel.1, vxlan.calico): Ethernet frames in UDP to a VTEP its FDB names. */
export interface VxlanDevice extends DeviceBase {
  readonly kind: 'vxlan';
  readonly vxlan: VxlanInfo;
  readonly ipip?: never;
}

/** An IPIP tunnel (tunl0): IPv4 in IPv4 (protocol 4) to the route's onlink gateway; no link layer. */
export interface IpipDevice extends DeviceBase {
  readonly kind: 'ipip';
  readonly ipip: IpipInfo;
  readonly vxlan?: never;
}

/** Tunnel devices, told apart by kind: the walk encapsulates and decapsulates by it. */
export type TunnelDevice = VxlanDevice | IpipDevice;

export type Device = LinkDevice | TunnelDevice;

/** `bird`: BIRD's routes (rt_protos 12); `80`: Felix's own (unnamed in rt_protos, printed as a number) */
export type RouteProto = 'kernel' | 'boot' | 'static' | 'bird' | '80';

/** One line of `ip route`. */
export interface RouteEntry {
  readonly dst: Prefix;
  readonly isDefault: boolean;
  /** the route type when not unicast: a blackhole discards what it matches (RTN_BLACKHOLE) */
  readonly type?: 'blackhole';
  readonly via?: IpAddr;
  readonly dev: string;
  readonly onlink?: boolean;
  readonly proto?: RouteProto;
  readonly scope?: 'link' | 'host';
  readonly src?: IpAddr;
  readonly metric?: number;
}

/** A neighbour (ARP) entry: `ip neigh`. Only PERMANENT ones are stored; others are learned by the walk. */
export interface Neighbour {
  readonly ip: IpAddr;
  readonly dev: string;
  readonly lladdr: string;
  readonly state: 'PERMANENT';
}

/** A bridge forwarding entry: `bridge fdb`. */
export interface FdbEntry {
  readonly mac: string;
  readonly dev: string;
  /** VXLAN: the remote VTEP */
  readonly dst?: IpAddr;
  readonly master?: string;
  readonly self?: boolean;
  readonly permanent?: boolean;
}

/** A route (or other configuration) the CNI tried to install and the kernel refused. */
export interface InstallError {
  /** the command as the agent would have run it: `ip route add 172.17.0.0/16 via 10.100.0.3 dev eth0` */
  readonly command: string;
  /** iproute2's answer: `Error: Nexthop has invalid gateway.` */
  readonly text: string;
}

export interface Namespace {
  readonly name: string;
  readonly kind: NamespaceKind;
  /** the Kubernetes node this namespace runs on (pods and nodes) */
  readonly node?: NodeName;
  readonly devices: readonly Device[];
  readonly routes: readonly RouteEntry[];
  readonly neighbours: readonly Neighbour[];
  readonly fdb: readonly FdbEntry[];
  readonly ipForward: boolean;
  readonly installErrors: readonly InstallError[];
  /** kube-proxy's tables (nodes only) */
  readonly iptables?: { readonly nat: IptTable; readonly filter: IptTable };
  /** net.bridge.bridge-nf-call-iptables: bridged frames pass netfilter too */
  readonly bridgeNfCallIptables?: boolean;
}

/** An endpoint on an L2 segment: who answers ARP for an address there. */
export interface SegmentPort {
  readonly namespace: string;
  readonly device: string;
  readonly mac: string;
  readonly addresses: readonly IpAddr[];
  /** the bridge port the frame goes through to reach it (`vethXXXX` on the node), if any */
  readonly bridgePort?: string;
}

export interface Segment {
  readonly id: string;
  readonly kind: 'underlay' | 'bridge' | 'veth';
  /** underlay: the subnet name; bridge: the node owning the bridge; veth: the pod */
  readonly owner: string;
  readonly srcDstCheck: boolean;
  readonly ports: readonly SegmentPort[];
}

/**
 * Everything derived from a scenario. Namespaces and segments are built on
 * first look and memoised, so a cluster of thousands of nodes costs only what
 * is looked at.
 */
export interface Network {
  readonly scenario: Scenario;
  readonly events: readonly ClusterEvent[];
  readonly podStatus: ReadonlyMap<string, PodStatus>;
  readonly namespaceNames: readonly string[];
  namespace(name: string): Namespace | undefined;
  /** the pod spec behind a pod namespace (containers, ports, labels) */
  pod(name: string): Pod | undefined;
  segment(id: string): Segment | undefined;
  /** every Service port with its ClusterIP and ready endpoints */
  readonly servicePorts: readonly ServicePortInfo[];
}

export type BuildResult =
  | {
      readonly ok: true;
      readonly network: Network;
      /**
       * Pods and Services the API server would refuse: left out of the
       * network, the rest runs (a bad label on one pod stops nothing else)
       */
      readonly rejected: readonly Problem[];
      /** the scenario to keep: every allocation written in, refused objects kept as they were */
      readonly stored: Scenario;
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Everything wrong with a scenario, whether or not the rest of it builds. */
export const buildProblems = (b: BuildResult): readonly Problem[] =>
  b.ok ? b.rejected : b.problems;
