import { CNI_IPAM } from '../../ipam/cniIpam';
import { bridgeHostSide, bridgePod } from './bridge';
import type { Cni } from './types';

/**
 * kubenet (today a bridge conflist templated from the podCIDR): nothing on the node for
 * peers; the cloud route table, written by kube-controller-manager's route controller,
 * sends each podCIDR to its node.
 */
export const kubenet: Cni<'kubenet'> = {
  name: 'kubenet',
  ipam: CNI_IPAM.kubenet,
  networkPolicy: 'none',
  podMtu: (mtu) => mtu,
  hostSide: (ctx, n, mtu) => bridgeHostSide(ctx, n, mtu, false),
  peer: () => undefined,
  pod: bridgePod,
  cloudRoutes: true,
};
