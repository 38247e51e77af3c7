/**
 * The ids podhop names objects by, each built and read here only.
 *
 * A namespaced object's identity (a pod's, a Service's) is namespace/name, as in
 * Kubernetes. Its printed form — the key of a pod's network namespace, its
 * `pod/…` object key, what the CLI, links and the probe panel take — leaves
 * `default/` out, as kubectl does without `-n`: `pod1a` is default/pod1a,
 * `x/web` is web in namespace x. Names cannot hold `/` (RFC 1123), so the form
 * is unambiguous.
 */
export const DEFAULT_NAMESPACE = 'default';
export const SYSTEM_NAMESPACES = ['default', 'kube-system'] as const;

interface Namespaced {
  readonly name: string;
  readonly namespace?: string | undefined;
}

export const podNamespace = (p: Pick<Namespaced, 'namespace'>): string =>
  p.namespace ?? DEFAULT_NAMESPACE;

/** `web` for default/web, `x/web` otherwise: a pod's or a Service's printed identity. */
export function namespacedRef(o: Namespaced): string {
  const ns = podNamespace(o);
  return ns === DEFAULT_NAMESPACE ? o.name : `${ns}/${o.name}`;
}
export const podRef = namespacedRef;
export const serviceRef = namespacedRef;

/** `a`, `default/a` and `x/a` as typed; undefined for anything with more slashes. */
export function parsePodRef(text: string): { namespace: string; name: string } | undefined {
  const parts = text.split('/');
  if (parts.length === 1) return { namespace: DEFAULT_NAMESPACE, name: text };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], name: parts[1] };
  return undefined;
}
export const parseServiceRef = parsePodRef;

/** The printed form of what a user typed: `default/a` → `a`. */
export function normalizePodRef(text: string): string {
  const r = parsePodRef(text);
  return r ? podRef(r) : text;
}

/**
 * An object as problems, events and probe destinations name it: `kind/ref`, the
 * form `kubectl get` takes (`pod/x/web` is web in namespace x).
 */
export const OBJECT_KINDS = ['subnet', 'router', 'node', 'pod', 'service', 'namespace'] as const;
export type ObjectKeyKind = (typeof OBJECT_KINDS)[number];
export type ObjectKey = `${ObjectKeyKind}/${string}`;

export const objectKey = (kind: ObjectKeyKind, ref: string): ObjectKey => `${kind}/${ref}`;
export const podKey = (p: Namespaced): ObjectKey => objectKey('pod', podRef(p));
export const serviceKey = (v: Namespaced): ObjectKey => objectKey('service', serviceRef(v));

export function parseObjectKey(key: string): { kind: ObjectKeyKind; ref: string } | undefined {
  const at = key.indexOf('/');
  const kind = key.slice(0, at) as ObjectKeyKind;
  return at > 0 && OBJECT_KINDS.includes(kind) ? { kind, ref: key.slice(at + 1) } : undefined;
}

/**
 * A layer-2 segment of the built network: a node's cni0 bridge, an underlay
 * subnet or a pod's veth pair. Hops name the segment a frame crossed; the canvas lights it.
 */
export type SegmentId = `bridge:${string}` | `subnet:${string}` | `veth:${string}`;
export const bridgeSegment = (node: string): SegmentId => `bridge:${node}`;
/** a pod's veth pair with nothing but its two ends (Calico: no bridge between pod and node) */
export const vethSegment = (pod: string): SegmentId => `veth:${pod}`;
export const subnetSegment = (subnet: string): SegmentId => `subnet:${subnet}`;

export function parseSegment(
  id: string | undefined,
): { kind: 'bridge'; node: string } | { kind: 'subnet'; subnet: string } | undefined {
  if (id?.startsWith('bridge:')) return { kind: 'bridge', node: id.slice('bridge:'.length) };
  if (id?.startsWith('subnet:')) return { kind: 'subnet', subnet: id.slice('subnet:'.length) };
  return undefined;
}
