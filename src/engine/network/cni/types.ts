import type { CniIpam } from '../../ipam/cniIpam';
import type { CniName, PolicyEnforcer } from '../../scenario/types';
import type { BuildContext, NodeInfo, PodInfo } from '../context';
import type { Device, FdbEntry, Neighbour, RouteEntry } from '../types';

/** What a CNI puts on a node besides lo and eth0: devices from ifindex 3, and what they bring. */
export interface HostSide {
  readonly devices: readonly Device[];
  /** routes installed with them (the bridge's prefix route, Calico's per-pod /32s and blackhole) */
  readonly routes: readonly RouteEntry[];
  readonly fdb: readonly FdbEntry[];
}

/** What a CNI installs on a node for one peer node: a route, and what it needs if accepted. */
export interface PeerInstall {
  readonly route: RouteEntry;
  readonly neighbours: readonly Neighbour[];
  readonly fdb: readonly FdbEntry[];
}

/** A pod's end of its link to the node: eth0 and the pod's routes. */
export interface PodSide {
  readonly eth0: Device;
  /** added in this order (a gateway's link route before the default through it) */
  readonly routes: readonly RouteEntry[];
}

/**
 * One CNI and its backend (issue 9): everything `buildNetwork` installs that differs
 * between CNIs comes from here, so the walk never needs to know which one runs.
 */
export interface Cni<N extends CniName = CniName> {
  readonly name: N;
  /** how pods get their addresses (ipam/cniIpam.ts) */
  readonly ipam: CniIpam;
  /** who enforces NetworkPolicy when this CNI runs alone */
  readonly networkPolicy: PolicyEnforcer;
  /** the MTU the CNI gives pods' veths, from the underlay's */
  podMtu(underlayMtu: number): number;
  /** the node's own devices for its pods and tunnels, for a node holding a pod range */
  hostSide(ctx: BuildContext, n: NodeInfo, mtu: number): HostSide;
  /** what this node installs to reach a peer's pods (nothing: the cloud routes them) */
  peer(ctx: BuildContext, self: NodeInfo, peer: NodeInfo): PeerInstall | undefined;
  /** a running pod's eth0 and routes */
  pod(ctx: BuildContext, n: NodeInfo, p: PodInfo, mtu: number): PodSide;
  /** the cloud route table learns `<pod range> via <nodeIP>` (kubenet's route controller) */
  readonly cloudRoutes: boolean;
}
