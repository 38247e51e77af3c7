import { CNI_IPAM } from '../../ipam/cniIpam';
import { VXLAN_OVERHEAD } from '../../scenario/defaults';
import { bridgeHostSide, bridgePod, flannelVxlanRoute } from './bridge';
import type { Cni } from './types';

/** Flannel's VXLAN backend: flannel.1 (VNI 1, UDP 8472) to every peer; pods at MTU − 50. */
export const flannelVxlan: Cni<'flannel-vxlan'> = {
  name: 'flannel-vxlan',
  ipam: CNI_IPAM['flannel-vxlan'],
  networkPolicy: 'none',
  podMtu: (mtu) => mtu - VXLAN_OVERHEAD,
  hostSide: (ctx, n, mtu) => bridgeHostSide(ctx, n, mtu, true),
  peer: (_ctx, _self, peer) =>
    peer.bridgeRange ? flannelVxlanRoute(peer.bridgeRange, peer) : undefined,
  pod: bridgePod,
  cloudRoutes: false,
};
