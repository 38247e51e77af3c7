import { CNI_IPAM } from '../../ipam/cniIpam';
import { calicoHostSide, calicoPeer, calicoPod } from './calico';
import type { Cni } from './types';

/** Calico without encapsulation: BIRD announces each node's block over BGP; peers' blocks arrive `via <peer nodeIP> dev eth0 proto bird`. */
export const calicoBgp: Cni<'calico-bgp'> = {
  name: 'calico-bgp',
  ipam: CNI_IPAM['calico-bgp'],
  networkPolicy: 'felix',
  podMtu: (mtu) => mtu,
  hostSide: (_ctx, n, mtu) => calicoHostSide(n, mtu, 'none'),
  peer: (_ctx, self, peer) => calicoPeer(self, peer, 'none', false),
  pod: calicoPod('none'),
  cloudRoutes: false,
};
