import { DEFAULT_NAMESPACE, podNamespace, podRef, serviceRef } from '../scenario/ids';
import { podAddress } from '../network/podAddress';
import { indexedAddress, parsePrefix } from '../addr/ip';
import type { Network } from '../network/types';

/**
 * The apiserver lists objects in etcd key order (`…/<namespace>/<name>`), so kubectl prints
 * them sorted by namespace, then name: by the key itself, `/` and all.
 */
export const byKey = <T extends { readonly name: string; readonly namespace?: string }>(
  xs: readonly T[],
): T[] => {
  const key = (x: T) => `${x.namespace ?? DEFAULT_NAMESPACE}/${x.name}`;
  return [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
};

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  // kubectl's tabwriter: columns padded to the widest cell plus three spaces, the last one bare
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/** The READY / STATUS / RESTARTS columns kubectl prints for a pod. */
export interface PodColumns {
  readonly ready: string;
  readonly status: 'Running' | 'CrashLoopBackOff' | 'ContainerCreating' | 'Pending';
  readonly restarts: string;
  /** why it is not Running: the kubelet's, the scheduler's or the process's own words */
  readonly message?: string;
}

export function podColumns(net: Network, pod: string): PodColumns {
  const p = net.pod(pod) ?? net.scenario.pods.find((x) => podRef(x) === pod);
  const total = p?.containers.length ?? 0;
  const st = net.podStatus.get(pod as never);
  if (st?.phase === 'Running') {
    const ready = st.containers.filter((c) => c.ready).length;
    const failing = st.containers.find((c) => !c.ready);
    // READY counts app containers only: the pause container is not a container of the pod spec.
    // A crash-looping container has been restarted a few times by the time anyone looks.
    return failing
      ? {
          ready: `${ready}/${total}`,
          status: 'CrashLoopBackOff',
          restarts: '4 (33s ago)',
          message: `${failing.name}: ${failing.message ?? ''}`,
        }
      : { ready: `${ready}/${total}`, status: 'Running', restarts: '0' };
  }
  if (st?.phase === 'ContainerCreating')
    return { ready: `0/${total}`, status: 'ContainerCreating', restarts: '0', message: st.message };
  return {
    ready: `0/${total}`,
    status: 'Pending',
    restarts: '0',
    ...(st ? { message: st.message } : {}),
  };
}

/** Which objects a `kubectl get` lists: one namespace (`-n`, default `default`) or all (`-A`). */
export type PodScope = { readonly namespace: string } | 'all';

/** The pods of one namespace, or of all (then the NAMESPACE column is printed). */
function podsIn(net: Network, scope: PodScope) {
  return byKey(
    net.scenario.pods.filter((p) => scope === 'all' || podNamespace(p) === scope.namespace),
  );
}

/**
 * `kubectl get pods -o wide`. AGE is `<unknown>`: the playground has no clock,
 * and kubectl prints that for a missing timestamp.
 */
export function printPodsWide(
  net: Network,
  scope: PodScope = { namespace: DEFAULT_NAMESPACE },
): string {
  const all = scope === 'all';
  const head = [
    'NAME',
    'READY',
    'STATUS',
    'RESTARTS',
    'AGE',
    'IP',
    'NODE',
    'NOMINATED NODE',
    'READINESS GATES',
  ];
  const rows: string[][] = [all ? ['NAMESPACE', ...head] : head];
  for (const p of podsIn(net, scope)) {
    const ref = podRef(p);
    const c = podColumns(net, ref);
    const st = net.podStatus.get(ref);
    const ip = podAddress(net, ref)?.ip.text ?? '<none>';
    const node =
      st?.phase === 'Pending' && st.message.includes('Too many pods') ? '<none>' : p.node;
    const row = [p.name, c.ready, c.status, c.restarts, '<unknown>', ip, node, '<none>', '<none>'];
    rows.push(all ? [podNamespace(p), ...row] : row);
  }
  return rows.length > 1 ? table(rows) : noPods(scope);
}

/** `kubectl get pods` (the default columns). */
export function printPods(
  net: Network,
  scope: PodScope = { namespace: DEFAULT_NAMESPACE },
): string {
  const all = scope === 'all';
  const head = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  const rows: string[][] = [all ? ['NAMESPACE', ...head] : head];
  for (const p of podsIn(net, scope)) {
    const c = podColumns(net, podRef(p));
    const row = [p.name, c.ready, c.status, c.restarts, '<unknown>'];
    rows.push(all ? [podNamespace(p), ...row] : row);
  }
  return rows.length > 1 ? table(rows) : noPods(scope);
}

/** kubectl's words for an empty list of any kind (printers.go: "No resources found in %s namespace."). */
const noPods = (scope: PodScope) =>
  scope === 'all' ? 'No resources found' : `No resources found in ${scope.namespace} namespace.`;

/** A Service as `kubectl get svc` lists it: the scenario's, and the apiserver's own `default/kubernetes`. */
interface ListedService {
  readonly name: string;
  readonly namespace?: string;
  readonly clusterIP?: string;
  readonly type?: string;
  readonly externalIPs?: readonly string[];
  readonly loadBalancerIPs?: readonly string[];
  readonly ports: readonly {
    readonly port: number;
    readonly protocol?: string;
    readonly nodePort?: number;
  }[];
}

/**
 * kubectl's printService (pkg/printers/internalversion/printers.go): EXTERNAL-IP is the
 * external IPs, a LoadBalancer's ingress first (`<pending>` until the cloud gives one);
 * PORT(S) is `port[:nodePort]/protocol` (makePortString).
 */
function externalIpColumn(s: ListedService): string {
  const external = s.externalIPs ?? [];
  if (s.type === 'LoadBalancer') {
    const all = [...(s.loadBalancerIPs ?? []), ...external];
    return all.length ? all.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

const inScope = (scope: PodScope, namespace: string | undefined) =>
  scope === 'all' || (namespace ?? DEFAULT_NAMESPACE) === scope.namespace;

/**
 * `kubectl get svc [-n NS | -A]`: the Services of one namespace (`default`
 * without `-n`, where the apiserver keeps `kubernetes`), or of all with a
 * NAMESPACE column, in etcd key order.
 */
export function printServices(
  net: Network,
  scope: PodScope = { namespace: DEFAULT_NAMESPACE },
): string {
  const cidr = net.scenario.cluster.serviceCidr;
  const range = parsePrefix(cidr);
  // a range too small for the first address never builds (validate.ts); a printer never throws
  const kube = range.ok ? indexedAddress(range.value, 1n) : undefined;
  const first = kube?.ok ? kube.value.text : '<none>';
  const all = scope === 'all';
  const head = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'];
  const rows: string[][] = [all ? ['NAMESPACE', ...head] : head];
  const kubernetes: ListedService = {
    name: 'kubernetes',
    namespace: DEFAULT_NAMESPACE,
    clusterIP: first,
    ports: [{ port: 443 }],
  };
  // an imported cluster brings its own `kubernetes` Service
  const own = net.scenario.services.some(
    (v) => v.name === 'kubernetes' && (v.namespace ?? DEFAULT_NAMESPACE) === DEFAULT_NAMESPACE,
  );
  const listed = byKey<ListedService>([
    ...(own ? [] : [kubernetes]),
    ...net.scenario.services,
  ]).filter((s) => inScope(scope, s.namespace));
  for (const s of listed) {
    const row = [
      s.name,
      s.type ?? 'ClusterIP',
      s.clusterIP ?? '<pending>',
      externalIpColumn(s),
      s.ports.length === 0
        ? '<none>'
        : s.ports
            .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
            .join(','),
      '<unknown>',
    ];
    rows.push(all ? [s.namespace ?? DEFAULT_NAMESPACE, ...row] : row);
  }
  return rows.length > 1 ? table(rows) : noPods(scope);
}

/** `kubectl get endpoints [-n NS | -A]`, scoped as `get svc` is. */
export function printEndpoints(
  net: Network,
  scope: PodScope = { namespace: DEFAULT_NAMESPACE },
): string {
  const all = scope === 'all';
  const head = ['NAME', 'ENDPOINTS', 'AGE'];
  const rows: string[][] = [all ? ['NAMESPACE', ...head] : head];
  const byService = new Map<string, string[]>();
  for (const sp of net.servicePorts) {
    const key = serviceRef(sp.service);
    const list = byService.get(key) ?? [];
    list.push(...sp.endpoints.map((e) => `${e.ip.text}:${e.port}`));
    byService.set(key, list);
  }
  for (const s of byKey(net.scenario.services).filter((x) => inScope(scope, x.namespace))) {
    const eps = byService.get(serviceRef(s)) ?? [];
    const row = [
      s.name,
      eps.length === 0
        ? '<none>'
        : eps.length > 3
          ? `${eps.slice(0, 3).join(',')} + ${eps.length - 3} more...`
          : eps.join(','),
      '<unknown>',
    ];
    rows.push(all ? [podNamespace(s), ...row] : row);
  }
  return rows.length > 1 ? table(rows) : noPods(scope);
}

/** `kubectl get events`: what the controllers and the kubelet recorded (LAST SEEN has no clock here). */
export function printEvents(net: Network): string {
  if (net.events.length === 0) return 'No resources found in default namespace.';
  return table([
    ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    ...net.events.map((e) => ['<unknown>', e.type, e.reason, e.object, e.message]),
  ]);
}
