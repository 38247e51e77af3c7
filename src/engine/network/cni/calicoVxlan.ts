import { CNI_IPAM } from '../../ipam/cniIpam';
import { calicoHostSide, calicoPeer, calicoPod } from './calico';
import type { Cni } from './types';

/** Calico VXLAN (IPPool vxlanMode Always): vxlan.calico, VNI 4096, UDP 4789; pods at the underlay MTU − 50. */
export const calicoVxlan: Cni<'calico-vxlan'> = {
  name: 'calico-vxlan',
  ipam: CNI_IPAM['calico-vxlan'],
  networkPolicy: 'felix',
  podMtu: (mtu) => mtu - 50,
  hostSide: (_ctx, n, mtu) => calicoHostSide(n, mtu, 'vxlan'),
  peer: (_ctx, self, peer) => calicoPeer(self, peer, 'vxlan', false),
  pod: calicoPod('vxlan'),
  cloudRoutes: false,
};
