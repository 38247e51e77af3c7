import { CNI_IPAM } from '../../ipam/cniIpam';
import { calicoHostSide, calicoPeer, calicoPod } from './calico';
import type { Cni } from './types';

/** Calico VXLAN CrossSubnet: direct routes to peers on the node's subnet, vxlan.calico to the others. */
export const calicoVxlanCrossSubnet: Cni<'calico-vxlan-crosssubnet'> = {
  name: 'calico-vxlan-crosssubnet',
  ipam: CNI_IPAM['calico-vxlan-crosssubnet'],
  networkPolicy: 'felix',
  podMtu: (mtu) => mtu - 50,
  hostSide: (_ctx, n, mtu) => calicoHostSide(n, mtu, 'vxlan'),
  peer: (_ctx, self, peer) => calicoPeer(self, peer, 'vxlan', true),
  pod: calicoPod('vxlan'),
  cloudRoutes: false,
};
