import type { ClusterSettings, CniName, Datapath, PolicyEnforcer } from './types';

/**
 * How `cluster.cni` and `cluster.datapath` relate (issue 9). `datapath` is the
 * older, coarser field (what the toolbar switches); `cni` names the CNI and its
 * backend. A CNI has one datapath class; a datapath alone means the flannel
 * family's CNI for it (or kubenet), as podhop drew it before `cni` existed.
 */
export const DATAPATH_OF: { readonly [K in CniName]: Datapath } = {
  'flannel-vxlan': 'overlay',
  'flannel-host-gw': 'direct',
  'flannel-vxlan-directrouting': 'crossSubnet',
  kubenet: 'gateway',
  'calico-bgp': 'direct',
  'calico-ipip': 'overlay',
  'calico-ipip-crosssubnet': 'crossSubnet',
  'calico-vxlan': 'overlay',
  'calico-vxlan-crosssubnet': 'crossSubnet',
};

/** The CNI a datapath meant before `cluster.cni` existed. */
export const CNI_OF_DATAPATH: { readonly [K in Datapath]: CniName } = {
  overlay: 'flannel-vxlan',
  direct: 'flannel-host-gw',
  crossSubnet: 'flannel-vxlan-directrouting',
  gateway: 'kubenet',
};

export const isCalico = (cni: CniName): boolean => cni.startsWith('calico-');

/** Calico's choice for a datapath, keeping the encapsulation it had (IPIP or VXLAN). */
function calicoFor(datapath: Datapath, was: CniName): CniName {
  const vxlan = was.startsWith('calico-vxlan');
  switch (datapath) {
    case 'direct':
      return 'calico-bgp';
    case 'overlay':
      return vxlan ? 'calico-vxlan' : 'calico-ipip';
    case 'crossSubnet':
      return vxlan ? 'calico-vxlan-crosssubnet' : 'calico-ipip-crosssubnet';
    // Calico has no "cloud routes the podCIDR" mode: that is kubenet
    case 'gateway':
      return 'kubenet';
  }
}

/**
 * The CNI a cluster runs. `cni` when it agrees with `datapath` (the loader writes the
 * datapath of a `cni` given alone); a datapath switched since picks that family's mode
 * for it, so the toolbar's datapath switch moves a Calico cluster between BGP, IPIP and
 * CrossSubnet rather than back to flannel.
 */
export function clusterCni(c: Pick<ClusterSettings, 'cni' | 'datapath'>): CniName {
  const cni = c.cni;
  if (cni === undefined) return CNI_OF_DATAPATH[c.datapath];
  if (DATAPATH_OF[cni] === c.datapath) return cni;
  return isCalico(cni) ? calicoFor(c.datapath, cni) : CNI_OF_DATAPATH[c.datapath];
}

/** Who enforces NetworkPolicy: Calico's felix whenever Calico runs, else what the cluster says. */
export function policyEnforcer(
  c: Pick<ClusterSettings, 'cni' | 'datapath' | 'networkPolicy'>,
): PolicyEnforcer {
  return isCalico(clusterCni(c)) ? 'felix' : c.networkPolicy;
}

/**
 * The cluster settings that run a CNI: `cni`, its datapath, and who enforces NetworkPolicy
 * with it (Calico's Felix; flannel and kubenet enforce none).
 */
export const cniSettings = (
  cni: CniName,
): Pick<ClusterSettings, 'cni' | 'datapath' | 'networkPolicy'> => ({
  cni,
  datapath: DATAPATH_OF[cni],
  networkPolicy: isCalico(cni) ? 'felix' : 'none',
});

export const withCni = <T extends ClusterSettings>(c: T, cni: CniName): T => ({
  ...c,
  ...cniSettings(cni),
});
