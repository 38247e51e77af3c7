import { CNI_IPAM } from '../../ipam/cniIpam';
import { VXLAN_OVERHEAD } from '../../scenario/defaults';
import { bridgeHostSide, bridgePod, directRoute, flannelVxlanRoute, sameSubnet } from './bridge';
import type { Cni } from './types';

/**
 * Flannel VXLAN with DirectRouting: a direct route to a peer on the same subnet, VXLAN to
 * the others (backend/vxlan/vxlan_network.go: `sameSubnet`).
 */
export const flannelDirectRouting: Cni<'flannel-vxlan-directrouting'> = {
  name: 'flannel-vxlan-directrouting',
  ipam: CNI_IPAM['flannel-vxlan-directrouting'],
  networkPolicy: 'none',
  podMtu: (mtu) => mtu - VXLAN_OVERHEAD,
  hostSide: (ctx, n, mtu) => bridgeHostSide(ctx, n, mtu, true),
  peer: (_ctx, self, peer) => {
    const range = peer.bridgeRange;
    if (!range) return undefined;
    return sameSubnet(self, peer) ? directRoute(range, peer) : flannelVxlanRoute(range, peer);
  },
  pod: bridgePod,
  cloudRoutes: false,
};
