import { CNI_IPAM } from '../../ipam/cniIpam';
import { calicoHostSide, calicoPeer, calicoPod } from './calico';
import type { Cni } from './types';

/** Calico IPIP (IPPool ipipMode Always): peers' blocks `via <peer nodeIP> dev tunl0 proto bird onlink`; pods at the underlay MTU − 20. */
export const calicoIpip: Cni<'calico-ipip'> = {
  name: 'calico-ipip',
  ipam: CNI_IPAM['calico-ipip'],
  networkPolicy: 'felix',
  podMtu: (mtu) => mtu - 20,
  hostSide: (_ctx, n, mtu) => calicoHostSide(n, mtu, 'ipip'),
  peer: (_ctx, self, peer) => calicoPeer(self, peer, 'ipip', false),
  pod: calicoPod('ipip'),
  cloudRoutes: false,
};
