import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { CniPlugin } from './cniIpam';

/**
 * What the kubelet and the CNI say when a pod's sandbox cannot get a network,
 * in their own words. A pod here is bound to its node by `spec.nodeName`, so
 * the scheduler never sees it: the kubelet admits it or rejects it, then asks
 * containerd for a sandbox, and containerd runs the node's CNI plugin.
 */

export type { CniPlugin } from './cniIpam';

/**
 * The error the CNI plugin returns for an IPAM failure. flannel wraps what
 * its delegate said (flannel-io/cni-plugin flannel_linux.go delegateAdd:
 * `failed to delegate add: %w`); bridge returns host-local's error as is.
 */
export function ipamFailure(plugin: CniPlugin, hostLocal: string): string {
  return plugin === 'flannel' ? `failed to delegate add: ${hostLocal}` : hostLocal;
}

/**
 * flanneld writes /run/flannel/subnet.env only once it holds a lease, and in
 * kube subnet-manager mode the lease is the node's podCIDR: without one the
 * flannel CNI plugin cannot read it (flannel.go cmdAdd).
 */
export const NO_FLANNEL_SUBNET_ENV =
  'loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory';

/**
 * Without a podCIDR a templated bridge conflist is never written, so the
 * runtime reports its network not ready and the kubelet refuses to sync the
 * pod (kubelet.go syncPod: NetworkNotReadyErrorMsg).
 */
export const NETWORK_NOT_READY =
  'network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** containerd's sandbox id: 64 hex digits (here derived from the pod, so builds are reproducible). */
export function sandboxId(namespace: string, pod: string): string {
  return bytesToHex(sha256(utf8ToBytes(`sandbox/${namespace}/${pod}`)));
}

/**
 * The FailedCreatePodSandBox event as the kubelet records it: its prefix, the
 * CRI's gRPC status, containerd's (`failed to setup network for sandbox`) and
 * libcni's (`plugin type="flannel" failed (add)`: pluginDescription; a plugin
 * of a conflist carries no name).
 */
export function sandboxFailure(pod: string, plugin: CniPlugin, cniError: string): string {
  return `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandboxId('default', pod)}": plugin type="${plugin}" failed (add): ${cniError}`;
}

/**
 * SPEC §2: a pod past its node's maxPods stays Pending with the scheduler's
 * `Too many pods`. A pod drawn in a node is scheduled with a nodeSelector on
 * `kubernetes.io/hostname`, so every other node fails that selector.
 * kube-scheduler's FitError prints each reason with its node count, sorted
 * as text, then the preemption verdict (framework/types.go, Error()).
 */
export function tooManyPods(nodeCount: number): string {
  const others = nodeCount - 1;
  const fit = [
    '1 Too many pods',
    ...(others ? [`${others} node(s) didn't match Pod's node affinity/selector`] : []),
  ];
  const preempt = [
    '1 No preemption victims found for incoming pod',
    ...(others ? [`${others} Preemption is not helpful for scheduling`] : []),
  ];
  return `0/${nodeCount} nodes are available: ${fit.join(', ')}. preemption: 0/${nodeCount} nodes are available: ${preempt.join(', ')}.`;
}
