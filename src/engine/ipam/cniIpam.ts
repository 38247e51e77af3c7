import type { CniName, IpamMode } from '../scenario/types';

/**
 * The CNI plugin a node runs (libcni's plugin `type`, named in its errors). Flannel
 * (vxlan / host-gw) delegates to `bridge` with host-local over its lease; kubenet's
 * successor (a bridge conflist templated from the podCIDR) and naive IPAM (every bridge
 * on Docker's range) run `bridge` + host-local directly; Calico runs `calico` with
 * calico-ipam.
 */
export type CniPlugin = 'flannel' | 'bridge' | 'calico';

/** What a CNI numbers its pods from. */
export interface CniIpam {
  readonly plugin: CniPlugin;
  /**
   * - flannelLease: host-local over flannel's lease (subnet.env: the podCIDR)
   * - podCidr: host-local over the node's podCIDR
   * - calicoBlock: the node's affine /26 block of the IP pool; podhop pins it to the first
   *   /26 of the node's podCIDR, as the lab pinned the seed's blocks (issue 9)
   */
  readonly range: 'flannelLease' | 'podCidr' | 'calicoBlock';
}

const FLANNEL: CniIpam = { plugin: 'flannel', range: 'flannelLease' };
const BRIDGE: CniIpam = { plugin: 'bridge', range: 'podCidr' };
const CALICO: CniIpam = { plugin: 'calico', range: 'calicoBlock' };

/** Each CNI's IPAM; the CNI modules (network/cni/) hand it out as theirs. */
export const CNI_IPAM: { readonly [K in CniName]: CniIpam } = {
  'flannel-vxlan': FLANNEL,
  'flannel-host-gw': FLANNEL,
  'flannel-vxlan-directrouting': FLANNEL,
  kubenet: BRIDGE,
  'calico-bgp': CALICO,
  'calico-ipip': CALICO,
  'calico-ipip-crosssubnet': CALICO,
  'calico-vxlan': CALICO,
  'calico-vxlan-crosssubnet': CALICO,
};

/** Calico's default IPPool blockSize (IPv4) */
export const CALICO_BLOCK_SIZE = 26;

/**
 * The IPAM a node's sandboxes use: the CNI's, except that naive IPAM (every node's
 * bridge on Docker's range) is a bridge CNI's mistake, so it applies to the bridge
 * CNIs only.
 */
export function ipamFor(cni: CniName, mode: IpamMode): CniIpam {
  const own = CNI_IPAM[cni];
  return mode === 'naive' && own.plugin !== 'calico' ? BRIDGE : own;
}
