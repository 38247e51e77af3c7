/**
 * Kubernetes objects (what parseKubeText returns) to a podhop scenario document, format
 * version 2, with notes saying what was left out, what was inferred and from what. Only
 * "no nodes at all" is an error: anything else podhop cannot use is counted and named.
 * One pass per kind, maps for lookups: 15,000 pods import in well under a second.
 */
import { parsePrefix, type Prefix } from '../addr/ip';
import { DEFAULT_CLUSTER } from '../scenario/defaults';
import { err, ok, type Result } from '../result';
import { calicoBlocks, detectCni } from './cni';
import { clusterCidrOf, mostCommon, serviceCidrOf } from './clusterCidrs';
import {
  KUBE_DOCUMENT_VERSION,
  type DocCluster,
  type DocNamespace,
  type DocNode,
  type DocRouter,
  type DocSubnet,
  type ScenarioDocument,
} from './document';
import type { KubeError } from './errors';
import { keptEndpointSlices, readEndpointSlices } from './endpointSlices';
import { isKubeProxyConfigMap, readKubeProxyConfig } from './kubeProxyConfig';
import { count, isObj, nameOf, namespaceOf, objAt, sample, stringMapAt, type Obj } from './fields';
import { NETWORK_POLICY_API, verbatimPolicy } from './networkPolicies';
import { readNodes } from './nodes';
import { isPodhopCluster, readPodhopCluster } from './podhopCluster';
import { podRefs, readPods } from './pods';
import { readServices } from './services';
import { inferUnderlay } from './underlay';

export interface KubeImport {
  readonly document: ScenarioDocument;
  readonly notes: readonly string[];
}

/** the namespaces every cluster has (kube-apiserver creates them at start) */
const SYSTEM_NAMESPACES = ['default', 'kube-system'] as const;
/** set by the API server on every Namespace since Kubernetes 1.21 (NamespaceDefaultLabelName) */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

interface Sorted {
  readonly namespaces: Obj[];
  readonly nodes: Obj[];
  readonly pods: Obj[];
  readonly services: Obj[];
  readonly endpointSlices: Obj[];
  readonly networkPolicies: Obj[];
  readonly podhopClusters: Obj[];
  readonly configMaps: Obj[];
  readonly ignored: Map<string, number>;
  notObjects: number;
}

/** Kinds by apiVersion as the API serves them; anything else is counted and ignored. */
function sortByKind(objects: readonly unknown[]): Sorted {
  const s: Sorted = {
    namespaces: [],
    nodes: [],
    pods: [],
    services: [],
    endpointSlices: [],
    networkPolicies: [],
    podhopClusters: [],
    configMaps: [],
    ignored: new Map(),
    notObjects: 0,
  };
  for (const o of objects) {
    if (!isObj(o) || typeof o['kind'] !== 'string' || o['kind'] === '') {
      s.notObjects++;
      continue;
    }
    const kind = o['kind'];
    const api = typeof o['apiVersion'] === 'string' ? o['apiVersion'] : '';
    const core = api === 'v1' || api === '';
    if (kind === 'Namespace' && core) s.namespaces.push(o);
    else if (kind === 'Node' && core) s.nodes.push(o);
    else if (kind === 'Pod' && core) s.pods.push(o);
    else if (kind === 'Service' && core) s.services.push(o);
    else if (kind === 'EndpointSlice' && api.startsWith('discovery.k8s.io/'))
      s.endpointSlices.push(o);
    else if (kind === 'NetworkPolicy' && api === NETWORK_POLICY_API) s.networkPolicies.push(o);
    else if (isPodhopCluster(o)) s.podhopClusters.push(o);
    else if (kind === 'ConfigMap' && core && isKubeProxyConfigMap(o)) s.configMaps.push(o);
    else {
      // a kind podhop reads under another group (Calico's projectcalico.org/v3 NetworkPolicy)
      // is named with its group, so it is not mistaken for the one podhop keeps
      const known = ['Namespace', 'Node', 'Pod', 'Service', 'EndpointSlice', 'NetworkPolicy'];
      const label = known.includes(kind) && api ? `${kind} (${api})` : kind;
      s.ignored.set(label, (s.ignored.get(label) ?? 0) + 1);
    }
  }
  return s;
}

function namespacesOf(
  objects: readonly Obj[],
  used: Iterable<string>,
  notes: string[],
): DocNamespace[] {
  const byName = new Map<string, DocNamespace>();
  for (const o of objects) {
    const name = nameOf(o);
    if (!name || byName.has(name)) continue;
    const labels = stringMapAt(objAt(o, 'metadata'), 'labels');
    byName.set(name, {
      name,
      labels: { ...labels, [NAMESPACE_NAME_LABEL]: labels[NAMESPACE_NAME_LABEL] ?? name },
    });
  }
  const added: string[] = [];
  const out: DocNamespace[] = [];
  for (const name of SYSTEM_NAMESPACES)
    if (!byName.has(name)) out.push({ name, labels: { [NAMESPACE_NAME_LABEL]: name } });
  out.push(...byName.values());
  for (const name of used) {
    if (byName.has(name) || (SYSTEM_NAMESPACES as readonly string[]).includes(name)) continue;
    byName.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name } });
    out.push(byName.get(name)!);
    added.push(name);
  }
  if (added.length > 0)
    notes.push(
      `${count(added.length, 'namespace')} named by pods or Services but not given as Namespace objects, added: ${sample(added)}`,
    );
  return out;
}

interface Underlay {
  readonly cluster: Omit<DocCluster, 'serviceCidr'> & { readonly serviceCidr?: string };
  readonly subnets: readonly DocSubnet[];
  readonly routers: readonly DocRouter[];
  readonly nodes: readonly DocNode[];
  readonly podCidrs: ReadonlyMap<string, Prefix>;
}

function inferred(s: Sorted, notes: string[]): Result<Underlay, KubeError> {
  const facts = readNodes(s.nodes, notes);
  if (facts.length === 0)
    return err({
      kind: 'nothingToImport',
      text:
        s.nodes.length > 0
          ? 'nothing to import: no Node has an IPv4 InternalIP in status.addresses'
          : 'nothing to import: there are no Node objects (podhop needs the nodes: kubectl get namespaces,nodes,pods,services,endpointslices,networkpolicies -A -o json)',
    });
  const cni = detectCni(facts, podRefs(s.pods), notes);
  if (cni.networkPolicy === 'felix')
    notes.push(
      "NetworkPolicy: enforced, as Calico's Felix enforces it (flannel and kubenet store policies but enforce none)",
    );
  const blocks = cni.cni.startsWith('calico') ? calicoBlocks(facts, s.pods, notes) : undefined;
  const podCidrs = new Map<string, Prefix>();
  for (const n of facts) {
    const range = blocks ? blocks.get(n.name) : n.podCidr;
    if (range) podCidrs.set(n.name, range);
  }
  const ranges = clusterCidrOf([...podCidrs.values()], notes);
  const underlay = inferUnderlay(facts, cni.cloudRoutes, notes);
  const maxPods = mostCommon(facts.flatMap((n) => (n.maxPods ? [n.maxPods] : [])));
  if (maxPods && !maxPods.agree)
    notes.push(
      `the nodes' status.capacity.pods differ: maxPods ${maxPods.value} taken (the most common)`,
    );
  return ok({
    cluster: {
      ...ranges,
      maxPods: maxPods?.value ?? DEFAULT_CLUSTER.maxPods,
      datapath: cni.datapath,
      ipam: 'cluster',
      networkPolicy: cni.networkPolicy,
      cni: cni.cni,
    },
    subnets: underlay.subnets,
    routers: underlay.routers,
    nodes: facts.map((n) => ({
      name: n.name,
      subnet: underlay.subnetOf.get(n.name)!,
      ip: n.ip.text,
      ...(podCidrs.has(n.name) ? { podCidr: podCidrs.get(n.name)!.text, podCidrPinned: true } : {}),
    })),
    podCidrs,
  });
}

function fromPodhopCluster(s: Sorted, notes: string[]): Result<Underlay, KubeError> | undefined {
  const doc = s.podhopClusters[0];
  if (!doc) return undefined;
  const spec = readPodhopCluster(doc);
  if (!spec || spec.nodes.length === 0)
    return err({
      kind: 'nothingToImport',
      text: `nothing to import: the ${String(doc['kind'])} document has no spec.nodes`,
    });
  notes.push(
    `cluster settings, underlay and nodes from the ${String(doc['kind'])} document "${nameOf(doc) ?? ''}": nothing was inferred`,
  );
  if (s.podhopClusters.length > 1)
    notes.push(`only the first of ${s.podhopClusters.length} PodhopCluster documents is read`);
  if (s.nodes.length > 0)
    notes.push(
      `ignored: ${count(s.nodes.length, 'Node')} (the PodhopCluster document lists podhop's nodes)`,
    );
  const podCidrs = new Map<string, Prefix>();
  for (const n of spec.nodes) {
    const p = typeof n.podCidr === 'string' ? parsePrefix(n.podCidr) : undefined;
    if (p?.ok) podCidrs.set(n.name, p.value);
  }
  return ok({ ...spec, podCidrs });
}

export function importKube(objects: readonly unknown[]): Result<KubeImport, KubeError> {
  const notes: string[] = [];
  const s = sortByKind(objects);
  if (s.ignored.size > 0) {
    const ranked = [...s.ignored].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    notes.push(`ignored: ${ranked.map(([kind, n]) => `${n} ${kind}`).join(', ')}`);
  }
  if (s.notObjects > 0)
    notes.push(
      `left out: ${count(s.notObjects, 'item')} that ${s.notObjects === 1 ? 'is' : 'are'} not a Kubernetes object (no kind)`,
    );

  const underlay = fromPodhopCluster(s, notes) ?? inferred(s, notes);
  if (!underlay.ok) return underlay;
  const u = underlay.value;
  const nodeNames = new Set(u.nodes.map((n) => n.name));
  const pods = readPods(s.pods, nodeNames, u.podCidrs, notes);
  const services = readServices(s.services, pods, notes);
  readEndpointSlices(s.endpointSlices, notes);
  const selectorless = new Set(
    services.services
      .filter((v) => Object.keys(v.selector).length === 0)
      .map((v) => `${v.namespace ?? 'default'}/${v.name}`),
  );
  const endpointSlices = keptEndpointSlices(s.endpointSlices, selectorless);
  const kubeProxy = s.configMaps[0] ? readKubeProxyConfig(s.configMaps[0], notes) : undefined;
  const serviceCidr =
    u.cluster.serviceCidr ?? serviceCidrOf(services.kubernetesIp, services.clusterIps, notes);
  const used = new Set<string>();
  for (const p of pods) used.add(p.namespace ?? 'default');
  for (const svc of services.services) used.add(svc.namespace ?? 'default');
  for (const np of s.networkPolicies) used.add(namespaceOf(np));
  const namespaces = namespacesOf(s.namespaces, used, notes);
  return ok({
    document: {
      version: KUBE_DOCUMENT_VERSION,
      cluster: { ...u.cluster, serviceCidr, ...(kubeProxy ? { kubeProxy } : {}) } as DocCluster,
      namespaces,
      subnets: u.subnets,
      routers: u.routers,
      nodes: u.nodes,
      pods,
      services: services.services,
      networkPolicies: s.networkPolicies.map(verbatimPolicy),
      ...(endpointSlices.length ? { endpointSlices } : {}),
    },
    notes,
  });
}
