import { ipFromBits, parseIp, parsePrefix, prefixContains, prefixSize } from '../addr/ip';
import type { Service } from '../scenario/types';

/** The first address of the service range belongs to the `kubernetes` Service. */
export const KUBERNETES_SERVICE_OFFSET = 1n;
/**
 * The apiserver picks a free ClusterIP at random (preferring the upper band of
 * the range since Kubernetes 1.26). podhop must be reproducible, so it takes the
 * lowest free address from offset 10 up (.10 is kube-dns's customary address).
 */
const FIRST_DYNAMIC_OFFSET = 10n;

/** Gives every Service without a ClusterIP one; stored ones are kept. */
export function allocateClusterIps(serviceCidr: string, services: readonly Service[]): Service[] {
  const range = parsePrefix(serviceCidr);
  if (!range.ok || services.every((s) => s.clusterIP !== undefined)) return [...services];
  const used = new Set<bigint>([range.value.bits + KUBERNETES_SERVICE_OFFSET]);
  for (const s of services) {
    const a = s.clusterIP === undefined ? undefined : parseIp(s.clusterIP);
    if (a?.ok && prefixContains(range.value, a.value)) used.add(a.value.bits);
  }
  const last = range.value.bits + prefixSize(range.value) - 1n;
  let next = range.value.bits + FIRST_DYNAMIC_OFFSET;
  return services.map((s) => {
    if (s.clusterIP !== undefined) return s;
    while (used.has(next) && next < last) next++;
    if (next >= last) return s;
    used.add(next);
    return { ...s, clusterIP: ipFromBits(4, next).text };
  });
}
