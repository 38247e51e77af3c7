import { CNI_IPAM } from '../../ipam/cniIpam';
import { bridgeHostSide, bridgePod, directRoute } from './bridge';
import type { Cni } from './types';

/** Flannel's host-gw backend: `<peer range> via <peer nodeIP> dev eth0`, no tunnel. */
export const flannelHostGw: Cni<'flannel-host-gw'> = {
  name: 'flannel-host-gw',
  ipam: CNI_IPAM['flannel-host-gw'],
  networkPolicy: 'none',
  podMtu: (mtu) => mtu,
  hostSide: (ctx, n, mtu) => bridgeHostSide(ctx, n, mtu, false),
  peer: (_ctx, _self, peer) => (peer.bridgeRange ? directRoute(peer.bridgeRange, peer) : undefined),
  pod: bridgePod,
  cloudRoutes: false,
};
