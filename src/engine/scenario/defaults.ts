import * as v from 'valibot';
import { ClusterSettingsSchema } from './schema';

export { DEFAULT_IMAGE } from './schema';
import type { ClusterSettings } from './types';

/** SPEC §2 defaults (kubeadm / kube-controller-manager / kubelet), as declared in schema.ts. */
export const DEFAULT_CLUSTER: ClusterSettings = v.parse(ClusterSettingsSchema, {});

export const DEFAULT_UNDERLAY_MTU = 1500;
/** outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8 (flannel backend/vxlan) */
export const VXLAN_OVERHEAD = 50;
/** Docker's default bridge range, what every node uses under naive IPAM */
export const NAIVE_POD_RANGE = '172.17.0.0/16';
/** flannel's VXLAN port (the Linux kernel default, not IANA's 4789) and VNI */
export const FLANNEL_VXLAN_PORT = 8472;
export const FLANNEL_VNI = 1;
