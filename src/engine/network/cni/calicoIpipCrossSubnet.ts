import { CNI_IPAM } from '../../ipam/cniIpam';
import { calicoHostSide, calicoPeer, calicoPod } from './calico';
import type { Cni } from './types';

/** Calico IPIP CrossSubnet: BGP routes to peers on the node's subnet, tunl0 to the others. */
export const calicoIpipCrossSubnet: Cni<'calico-ipip-crosssubnet'> = {
  name: 'calico-ipip-crosssubnet',
  ipam: CNI_IPAM['calico-ipip-crosssubnet'],
  networkPolicy: 'felix',
  podMtu: (mtu) => mtu - 20,
  hostSide: (_ctx, n, mtu) => calicoHostSide(n, mtu, 'ipip'),
  peer: (_ctx, self, peer) => calicoPeer(self, peer, 'ipip', true),
  pod: calicoPod('ipip'),
  cloudRoutes: false,
};
