/**
 * The cluster-wide ranges, which no object states: kube-controller-manager's --cluster-cidr
 * and --node-cidr-mask-size, and the API server's --service-cluster-ip-range, read back from
 * what they allocated.
 */
import { parseIp, prefixCovers, prefixFromBits, type IpAddr, type Prefix } from '../addr/ip';
import { DEFAULT_CLUSTER } from '../scenario/defaults';
import { count } from './fields';

/** The longest prefix that covers all of `prefixes` (their common leading bits). */
export function smallestCovering(prefixes: readonly Prefix[]): Prefix | undefined {
  const [first, ...rest] = prefixes;
  if (!first) return undefined;
  let cover = first;
  for (const p of rest) {
    while (!prefixCovers(cover, p)) cover = prefixFromBits(cover.family, cover.bits, cover.len - 1);
  }
  return cover;
}

/** The value most entries share (ties: the first seen), and whether they all agree. */
export function mostCommon<T>(values: readonly T[]): { value: T; agree: boolean } | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  let bestCount = 0;
  for (const [v, c] of counts)
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  return best === undefined ? undefined : { value: best, agree: counts.size === 1 };
}

export function clusterCidrOf(
  podCidrs: readonly Prefix[],
  notes: string[],
): { clusterCidr: string; nodeCidrMaskSize: number } {
  const cover = smallestCovering(podCidrs);
  const mask = mostCommon(podCidrs.map((p) => p.len));
  if (!cover || !mask) {
    notes.push(
      `no node has a podCIDR: cluster CIDR ${DEFAULT_CLUSTER.clusterCidr} and node mask /${DEFAULT_CLUSTER.nodeCidrMaskSize} assumed (kubeadm's flannel defaults)`,
    );
    return {
      clusterCidr: DEFAULT_CLUSTER.clusterCidr,
      nodeCidrMaskSize: DEFAULT_CLUSTER.nodeCidrMaskSize,
    };
  }
  // one node's podCIDR alone is its own smallest cover, which leaves no block for a second node
  const widened = podCidrs.length === 1 && cover.len > 16;
  const clusterCidr = widened ? prefixFromBits(4, cover.bits, 16) : cover;
  notes.push(
    widened
      ? `cluster CIDR ${clusterCidr.text} assumed: the /16 around the one node's podCIDR ${cover.text} (kube-controller-manager's --cluster-cidr is not in the objects)`
      : `cluster CIDR ${clusterCidr.text}: the smallest range holding every node's podCIDR (${count(podCidrs.length, 'podCIDR')}; kube-controller-manager's --cluster-cidr is not in the objects and may be wider)`,
  );
  if (!mask.agree)
    notes.push(
      `the nodes' podCIDRs have different masks: node CIDR mask /${mask.value} taken (the most common)`,
    );
  return { clusterCidr: clusterCidr.text, nodeCidrMaskSize: mask.value };
}

/** kubeadm's default serviceSubnet; the `kubernetes` Service takes its first address */
const KUBEADM_SERVICE_SUBNET = '10.96.0.0/12';
const KUBEADM_KUBERNETES_IP = '10.96.0.1';
const ASSUMED_SERVICE_MASK = 12;

export function serviceCidrOf(
  kubernetesIp: IpAddr | undefined,
  clusterIps: readonly IpAddr[],
  notes: string[],
): string {
  let base: Prefix;
  if (kubernetesIp?.text === KUBEADM_KUBERNETES_IP) {
    base = prefixFromBits(4, kubernetesIp.bits, ASSUMED_SERVICE_MASK);
    notes.push(
      `service CIDR ${KUBEADM_SERVICE_SUBNET}: the kubernetes Service's ${KUBEADM_KUBERNETES_IP} is the first address of kubeadm's default serviceSubnet`,
    );
  } else if (kubernetesIp) {
    base = prefixFromBits(4, kubernetesIp.bits, ASSUMED_SERVICE_MASK);
    notes.push(
      `service CIDR ${base.text} assumed: the /${ASSUMED_SERVICE_MASK} around the kubernetes Service's ${kubernetesIp.text} (the API server's --service-cluster-ip-range is not in the objects)`,
    );
  } else {
    const first = clusterIps[0];
    base = first
      ? prefixFromBits(4, first.bits, ASSUMED_SERVICE_MASK)
      : (() => {
          const ip = parseIp(KUBEADM_KUBERNETES_IP);
          return prefixFromBits(4, ip.ok ? ip.value.bits : 0n, ASSUMED_SERVICE_MASK);
        })();
    notes.push(
      first
        ? `service CIDR ${base.text} assumed: no kubernetes Service in default, so the /${ASSUMED_SERVICE_MASK} around ${first.text}`
        : `service CIDR ${base.text} assumed (kubeadm's default): no Service says otherwise`,
    );
  }
  const all = [base, ...clusterIps.map((a) => prefixFromBits(4, a.bits, 32))];
  const cover = smallestCovering(all) ?? base;
  if (cover.len < base.len)
    notes.push(`service CIDR widened to ${cover.text} to hold every Service's clusterIP`);
  return cover.text;
}
