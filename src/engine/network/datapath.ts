import { nthAddress, type IpAddr, type Prefix } from '../addr/ip';
import type { Datapath } from '../scenario/types';
import type { NodeInfo } from './context';

/** How node A reaches node B's pods, as the CNI agent decides it (SPEC §5). */
export type CrossNodeRoute =
  /** Flannel VXLAN: `<B range> via <B range .0> dev flannel.1 onlink` + ARP + FDB */
  | {
      readonly kind: 'vxlan';
      readonly dst: Prefix;
      readonly via: IpAddr;
      readonly vtepMac: string;
      readonly remote: IpAddr;
    }
  /** Flannel host-gw / Calico no-encap: `<B range> via <B nodeIP> dev eth0` */
  | { readonly kind: 'direct'; readonly dst: Prefix; readonly via: IpAddr }
  /** kubenet with a cloud route table: nothing on the node */
  | { readonly kind: 'none' };

/**
 * The decision each datapath makes for a peer. Calico CrossSubnet and Flannel
 * DirectRouting route directly when the peer shares the subnet and fall back to
 * VXLAN otherwise (flannel backend/vxlan/vxlan_network.go: `sameSubnet`).
 */
export function crossNodeRoute(
  datapath: Datapath,
  self: NodeInfo,
  peer: NodeInfo,
  peerVtepMac: string,
): CrossNodeRoute {
  const range = peer.bridgeRange;
  if (!range) return { kind: 'none' };
  const vxlan: CrossNodeRoute = {
    kind: 'vxlan',
    dst: range,
    via: nthAddress(range, 0n),
    vtepMac: peerVtepMac,
    remote: peer.ip,
  };
  const direct: CrossNodeRoute = { kind: 'direct', dst: range, via: peer.ip };
  switch (datapath) {
    case 'overlay':
      return vxlan;
    case 'direct':
      return direct;
    case 'crossSubnet':
      return self.subnet.subnet.name === peer.subnet.subnet.name ? direct : vxlan;
    case 'gateway':
      return { kind: 'none' };
  }
}
