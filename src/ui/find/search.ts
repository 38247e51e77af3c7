import {
  parseIp,
  parsePrefix,
  podAddress,
  podNamespace,
  podRef,
  prefixContains,
  serviceRef,
  type Network,
  type ObjectKind,
  type Scenario,
} from '../../engine/index';

/**
 * Find (`/` or Ctrl+K): one search over what a cluster holds — pods, nodes,
 * Services and subnets by name, by namespace, by address (a pod's IP, a node's,
 * a ClusterIP, the podCIDR or subnet an address falls in) and pods by label.
 *
 * A query is words, all of which must match: `web` (a name holds it),
 * `ns:shop` (in namespace shop), `app=web` (a pod or Service with that label or
 * selector), `172.17.1.3` (whatever holds or contains that address). Linear in
 * the cluster's size, with a cap on hits: 150,000 pods take a few milliseconds.
 */
export interface FindHit {
  readonly kind: ObjectKind;
  /** the selection's name: a pod's or Service's namespace/name, the others' name */
  readonly name: string;
  /** what the list shows: the kind's words and why it matched */
  readonly detail: string;
}

type Term =
  | { readonly kind: 'namespace'; readonly ns: string }
  | { readonly kind: 'label'; readonly key: string; readonly value: string }
  | { readonly kind: 'address'; readonly text: string; readonly ip: ReturnType<typeof parseIp> }
  | { readonly kind: 'text'; readonly text: string };

function termsOf(query: string): Term[] {
  return query
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w): Term => {
      if (w.startsWith('ns:')) return { kind: 'namespace', ns: w.slice(3) };
      const eq = w.indexOf('=');
      if (eq > 0) return { kind: 'label', key: w.slice(0, eq), value: w.slice(eq + 1) };
      const ip = parseIp(w);
      if (ip.ok) return { kind: 'address', text: w, ip };
      return { kind: 'text', text: w.toLowerCase() };
    });
}

interface Candidate {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** addresses it holds, and prefixes it stands for (a podCIDR, a subnet) */
  readonly ips: readonly string[];
  readonly cidrs: readonly string[];
  readonly detail: string;
}

function matches(c: Candidate, t: Term): boolean {
  switch (t.kind) {
    case 'namespace':
      return c.namespace === t.ns;
    case 'label':
      return c.labels?.[t.key] === t.value;
    case 'text':
      return c.name.toLowerCase().includes(t.text);
    case 'address':
      return (
        c.ips.includes(t.text) ||
        c.cidrs.some((p) => {
          const prefix = parsePrefix(p, false);
          return prefix.ok && t.ip.ok && prefixContains(prefix.value, t.ip.value);
        })
      );
  }
}

function* candidates(s: Scenario, net: Network | undefined): Generator<Candidate> {
  for (const p of s.pods) {
    const ref = podRef(p);
    const ip = p.ip ?? podAddress(net, ref)?.ip.text;
    yield {
      kind: 'pod',
      name: ref,
      namespace: podNamespace(p),
      ...(p.labels ? { labels: p.labels } : {}),
      ips: ip ? [ip] : [],
      cidrs: [],
      detail: `pod on ${p.node}${ip ? ` — ${ip}` : ''}`,
    };
  }
  for (const n of s.nodes)
    yield {
      kind: 'node',
      name: n.name,
      ips: [n.ip],
      cidrs: n.podCidr ? [n.podCidr] : [],
      detail: `node — ${n.ip}${n.podCidr ? `, podCIDR ${n.podCidr}` : ''}`,
    };
  for (const v of s.services)
    yield {
      kind: 'service',
      name: serviceRef(v),
      namespace: podNamespace(v),
      labels: v.selector,
      ips: v.clusterIP ? [v.clusterIP] : [],
      cidrs: [],
      detail: `Service${v.clusterIP ? ` — ClusterIP ${v.clusterIP}` : ''}`,
    };
  for (const x of s.subnets)
    yield {
      kind: 'subnet',
      name: x.name,
      ips: [x.gateway],
      cidrs: [x.cidr],
      detail: `subnet ${x.cidr}`,
    };
  for (const r of s.routers)
    yield {
      kind: 'router',
      name: r.name,
      ips: [],
      cidrs: [],
      detail: `router on ${r.subnets.join(', ')}`,
    };
}

/** Exact names first, then the rest in the cluster's order; at most `limit`. */
export function findHits(
  s: Scenario,
  net: Network | undefined,
  query: string,
  limit = 50,
): { hits: FindHit[]; more: boolean } {
  const terms = termsOf(query);
  if (terms.length === 0) return { hits: [], more: false };
  const exact: FindHit[] = [];
  const rest: FindHit[] = [];
  let more = false;
  const words = terms.flatMap((t) => (t.kind === 'text' ? [t.text] : []));
  for (const c of candidates(s, net)) {
    if (!terms.every((t) => matches(c, t))) continue;
    const hit = { kind: c.kind, name: c.name, detail: c.detail };
    const lower = c.name.toLowerCase();
    const isExact = words.some((w) => lower === w || lower.endsWith(`/${w}`));
    if (isExact && exact.length < limit) exact.push(hit);
    else if (rest.length < limit) rest.push(hit);
    else more = true;
    if (exact.length >= limit) {
      more = true;
      break;
    }
  }
  const hits = [...exact, ...rest];
  return { hits: hits.slice(0, limit), more: more || hits.length > limit };
}
