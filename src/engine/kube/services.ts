/**
 * Service objects to scenario Services. Field meanings from the API reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/service-v1/):
 * `spec.clusterIP` `None` makes a headless Service (no virtual IP, no kube-proxy rules); a
 * Service without a selector gets no endpoints from the endpoint controller; `targetPort` is
 * a number or the name of a container port, defaulting to `port`.
 */
import { parseIp, parsePrefix, type IpAddr } from '../addr/ip';
import type { Protocol } from '../scenario/types';
import type { DocPod, DocService, DocServicePort } from './document';
import {
  count,
  isEmpty,
  listAt,
  nameOf,
  namespaceOf,
  numAt,
  objAt,
  objsAt,
  sample,
  strAt,
  stringMapAt,
  type Obj,
} from './fields';
import { parsePosition, POSITION_ANNOTATION } from './position';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
const POLICIES = ['Cluster', 'Local'] as const;
const pick = <T extends string>(options: readonly T[], v: string | undefined): T | undefined =>
  options.find((o) => o === v);

/**
 * What kube-proxy reads from a Service besides its ports (pkg/proxy/serviceport.go
 * newBaseServiceInfo): each kept only when it is not the API's default. Source ranges are
 * trimmed and the ones that are not CIDRs dropped, as kube-proxy does for back-compatibility.
 */
function proxyFields(
  spec: Obj | undefined,
  lb: Obj | undefined,
  type: string,
  id: string,
  badRanges: string[],
): Partial<DocService> {
  const t = pick(TYPES, type);
  const etp = pick(POLICIES, strAt(spec, 'externalTrafficPolicy'));
  const itp = pick(POLICIES, strAt(spec, 'internalTrafficPolicy'));
  const strings = (l: readonly unknown[]) => l.filter((x): x is string => typeof x === 'string');
  const externalIPs = strings(listAt(spec, 'externalIPs'));
  const lbIps = objsAt(lb, 'ingress').flatMap((i) => {
    const ip = strAt(i, 'ip');
    return ip ? [ip] : [];
  });
  const ranges: string[] = [];
  for (const r of strings(listAt(spec, 'loadBalancerSourceRanges'))) {
    const p = parsePrefix(r.trim());
    if (p.ok) ranges.push(p.value.text);
    else badRanges.push(`${id}: ${JSON.stringify(r)}`);
  }
  const hc = numAt(spec, 'healthCheckNodePort');
  const affinity = strAt(spec, 'sessionAffinity') === 'ClientIP';
  const timeout = numAt(objAt(objAt(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds');
  return {
    ...(t && t !== 'ClusterIP' ? { type: t } : {}),
    ...(etp === 'Local' ? { externalTrafficPolicy: etp } : {}),
    ...(itp === 'Local' ? { internalTrafficPolicy: itp } : {}),
    ...(externalIPs.length ? { externalIPs } : {}),
    ...(lbIps.length ? { loadBalancerIPs: lbIps } : {}),
    ...(ranges.length ? { loadBalancerSourceRanges: ranges } : {}),
    ...(hc ? { healthCheckNodePort: hc } : {}),
    ...(affinity ? { sessionAffinity: 'ClientIP' as const } : {}),
    ...(affinity && timeout !== undefined && timeout !== 10800
      ? { sessionAffinityTimeout: timeout }
      : {}),
  };
}

export interface ServiceImport {
  readonly services: readonly DocService[];
  /** the API server's own `kubernetes` Service in default: its IP gives the service CIDR */
  readonly kubernetesIp?: IpAddr;
  readonly clusterIps: readonly IpAddr[];
}

const selects = (selector: Readonly<Record<string, string>>, pod: DocPod): boolean => {
  for (const k of Object.keys(selector)) if (pod.labels?.[k] !== selector[k]) return false;
  return true;
};

/**
 * A named targetPort is looked up in each selected pod, as kube-proxy does per endpoint; podhop
 * keeps one number per Service port, so it takes the name only when the pods agree on it.
 */
function resolveNamed(
  name: string,
  protocol: Protocol,
  pods: readonly DocPod[],
): { port?: number; why: string } {
  const found = new Set<number>();
  for (const pod of pods)
    for (const c of pod.containers)
      for (const p of c.ports ?? [])
        if (p.name === name && (p.protocol ?? 'TCP') === protocol) found.add(p.containerPort);
  if (found.size === 1) return { port: [...found][0]!, why: '' };
  if (pods.length === 0) return { why: 'no imported pod is selected' };
  if (found.size === 0) return { why: 'no selected pod has a port of that name' };
  return { why: `the selected pods disagree (${[...found].join(', ')})` };
}

export function readServices(
  objects: readonly Obj[],
  pods: readonly DocPod[],
  notes: string[],
): ServiceImport {
  const podsByNamespace = new Map<string, DocPod[]>();
  for (const p of pods) {
    const ns = p.namespace ?? 'default';
    let list = podsByNamespace.get(ns);
    if (!list) podsByNamespace.set(ns, (list = []));
    list.push(p);
  }
  const out: DocService[] = [];
  const seen = new Set<string>();
  const headless: string[] = [];
  const noSelector: string[] = [];
  const externalName: string[] = [];
  const badRanges: string[] = [];
  const unresolved: string[] = [];
  const clusterIps: IpAddr[] = [];
  let kubernetesIp: IpAddr | undefined;
  for (const svc of objects) {
    const name = nameOf(svc);
    if (!name) continue;
    const namespace = namespaceOf(svc);
    const id = `${namespace}/${name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const spec = objAt(svc, 'spec');
    const type = strAt(spec, 'type') ?? 'ClusterIP';
    const clusterIpText = strAt(spec, 'clusterIP');
    const parsedIp = clusterIpText === undefined ? undefined : parseIp(clusterIpText);
    const clusterIP = parsedIp?.ok && parsedIp.value.family === 4 ? parsedIp.value : undefined;
    if (clusterIP) clusterIps.push(clusterIP);
    if (namespace === 'default' && name === 'kubernetes' && clusterIP) kubernetesIp = clusterIP;
    if (type === 'ExternalName') {
      externalName.push(id);
      continue;
    }
    if (clusterIpText === 'None') {
      headless.push(id);
      continue;
    }
    const selector = stringMapAt(spec, 'selector');
    // kept: its endpoints come from the EndpointSlices written for it (by hand, or by the
    // API server for `kubernetes`), read with the slices
    if (isEmpty(selector)) noSelector.push(id);
    let selected: DocPod[] | undefined;
    const ports: DocServicePort[] = [];
    for (const p of objsAt(spec, 'ports')) {
      const port = numAt(p, 'port');
      if (port === undefined) continue;
      const protocol = strAt(p, 'protocol') ?? 'TCP';
      if (protocol !== 'TCP' && protocol !== 'UDP') continue;
      const portName = strAt(p, 'name');
      let targetPort = numAt(p, 'targetPort') ?? port;
      const named = strAt(p, 'targetPort');
      if (named !== undefined) {
        selected ??= (podsByNamespace.get(namespace) ?? []).filter((pod) => selects(selector, pod));
        const r = resolveNamed(named, protocol, selected);
        if (r.port === undefined) {
          unresolved.push(`${id} port ${port} → "${named}": ${r.why}`);
          continue;
        }
        targetPort = r.port;
      }
      const nodePort = numAt(p, 'nodePort');
      ports.push({
        ...(portName ? { name: portName } : {}),
        port,
        targetPort,
        protocol: protocol as Protocol,
        ...(nodePort ? { nodePort } : {}),
      });
    }
    const position = parsePosition(
      stringMapAt(objAt(svc, 'metadata'), 'annotations')[POSITION_ANNOTATION],
    );
    out.push({
      namespace,
      name,
      selector,
      ports,
      ...(clusterIP ? { clusterIP: clusterIP.text } : {}),
      ...(position ? { position } : {}),
      ...proxyFields(spec, objAt(objAt(svc, 'status'), 'loadBalancer'), type, `${id}`, badRanges),
    });
  }
  if (headless.length > 0)
    notes.push(
      `left out: ${count(headless.length, 'headless Service')} (clusterIP None: no virtual IP for kube-proxy; ${sample(headless)})`,
    );
  if (noSelector.length > 0)
    notes.push(
      `${count(noSelector.length, 'Service')} without a selector (${sample(noSelector)}): their endpoints are the EndpointSlices written for them`,
    );
  if (externalName.length > 0)
    notes.push(
      `left out: ${count(externalName.length, 'ExternalName Service')} (a DNS alias, no cluster IP; ${sample(externalName)})`,
    );
  if (badRanges.length > 0)
    notes.push(
      `left out: ${count(badRanges.length, 'loadBalancerSourceRange')} that ${badRanges.length === 1 ? 'is' : 'are'} not a CIDR (${sample(badRanges)}), as kube-proxy leaves them out`,
    );
  if (unresolved.length > 0)
    notes.push(
      `left out: ${count(unresolved.length, 'Service port')} with a named targetPort podhop cannot resolve to one number (${sample(unresolved)})`,
    );
  return { services: out, ...(kubernetesIp ? { kubernetesIp } : {}), clusterIps };
}
