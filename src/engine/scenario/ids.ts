import type { Pod } from './types';

/**
 * A pod's identity is namespace/name, as in Kubernetes. Its printed form — the
 * key of its network namespace, its `pod/…` object key, what the CLI, links
 * and the probe panel take — leaves `default/` out, as kubectl does without
 * `-n`: `pod1a` is default/pod1a, `x/web` is web in namespace x. Names cannot
 * hold `/` (RFC 1123), so the form is unambiguous.
 */
export const DEFAULT_NAMESPACE = 'default';
export const SYSTEM_NAMESPACES = ['default', 'kube-system'] as const;

export const podNamespace = (p: Pick<Pod, 'namespace'>): string => p.namespace ?? DEFAULT_NAMESPACE;

export function podRef(p: { readonly name: string; readonly namespace?: string }): string {
  const ns = podNamespace(p);
  return ns === DEFAULT_NAMESPACE ? p.name : `${ns}/${p.name}`;
}

/** `a`, `default/a` and `x/a` as typed; undefined for anything with more slashes. */
export function parsePodRef(text: string): { namespace: string; name: string } | undefined {
  const parts = text.split('/');
  if (parts.length === 1) return { namespace: DEFAULT_NAMESPACE, name: text };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  return undefined;
}

/** The printed form of what a user typed: `default/a` → `a`. */
export function normalizePodRef(text: string): string {
  const r = parsePodRef(text);
  return r ? podRef(r) : text;
}
