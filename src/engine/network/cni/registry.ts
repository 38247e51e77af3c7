import { clusterCni } from '../../scenario/cni';
import type { ClusterSettings, CniName } from '../../scenario/types';
import { calicoBgp } from './calicoBgp';
import { calicoIpip } from './calicoIpip';
import { calicoIpipCrossSubnet } from './calicoIpipCrossSubnet';
import { calicoVxlan } from './calicoVxlan';
import { calicoVxlanCrossSubnet } from './calicoVxlanCrossSubnet';
import { flannelDirectRouting } from './flannelDirectRouting';
import { flannelHostGw } from './flannelHostGw';
import { flannelVxlan } from './flannelVxlan';
import { kubenet } from './kubenet';
import type { Cni } from './types';

/** Every CNI podhop runs, one module each: a name in schema.ts's CNIS without one fails to compile. */
export const CNI_MODULES: { readonly [K in CniName]: Cni<K> } = {
  'flannel-vxlan': flannelVxlan,
  'flannel-host-gw': flannelHostGw,
  'flannel-vxlan-directrouting': flannelDirectRouting,
  kubenet: kubenet,
  'calico-bgp': calicoBgp,
  'calico-ipip': calicoIpip,
  'calico-ipip-crosssubnet': calicoIpipCrossSubnet,
  'calico-vxlan': calicoVxlan,
  'calico-vxlan-crosssubnet': calicoVxlanCrossSubnet,
};

/** The module of the CNI a cluster runs. */
export const cniOf = (c: Pick<ClusterSettings, 'cni' | 'datapath'>): Cni =>
  CNI_MODULES[clusterCni(c)];
