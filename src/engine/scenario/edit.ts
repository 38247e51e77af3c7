import { withNodePorts } from '../ipam/nodePort';
import { podRef, serviceRef } from './ids';
import { ipFromBits, parseIp, parsePrefix, prefixContains } from '../addr/ip';
import type {
  Container,
  KubeNode,
  NodeName,
  Pod,
  PodName,
  Position,
  Router,
  RouterName,
  Scenario,
  Service,
  ServiceName,
  Subnet,
  SubnetName,
} from './types';

/**
 * Edits are change objects applied by one pure function (as React Flow's
 * applyNodeChanges): the store records them for undo, tests replay them.
 * IPAM runs after an edit (allocate), not here.
 */
export type ObjectKind = 'subnet' | 'router' | 'node' | 'pod' | 'service';
export interface ObjectRef {
  readonly kind: ObjectKind;
  readonly name: string;
}

export type Edit =
  | { readonly kind: 'setCluster'; readonly patch: Partial<Scenario['cluster']> }
  | {
      readonly kind: 'addSubnet';
      readonly position: Position;
      readonly name?: string;
      readonly cidr?: string;
    }
  | {
      readonly kind: 'addRouter';
      readonly position: Position;
      readonly name?: string;
      readonly subnets?: readonly string[];
    }
  | {
      readonly kind: 'addNode';
      readonly subnet: string;
      readonly position: Position;
      readonly name?: string;
    }
  | {
      readonly kind: 'addPod';
      readonly node: string;
      readonly position: Position;
      readonly name?: string;
    }
  | { readonly kind: 'remove'; readonly target: ObjectRef }
  | { readonly kind: 'rename'; readonly target: ObjectRef; readonly to: string }
  | { readonly kind: 'move'; readonly target: ObjectRef; readonly position: Position }
  | {
      readonly kind: 'updateSubnet';
      readonly name: string;
      readonly patch: Partial<Pick<Subnet, 'cidr' | 'gateway' | 'srcDstCheck' | 'mtu'>>;
    }
  | {
      readonly kind: 'updateNode';
      readonly name: string;
      readonly patch: Partial<Pick<KubeNode, 'ip' | 'podCidr' | 'subnet'>>;
    }
  | {
      readonly kind: 'updatePod';
      readonly name: string;
      readonly patch: Partial<
        Pick<Pod, 'labels' | 'containers' | 'node' | 'shareProcessNamespace' | 'ip'>
      >;
    }
  /** `kubectl delete pod` under a ReplicaSet: the replacement has a new name and a new IP */
  | { readonly kind: 'recreatePod'; readonly name: string }
  | {
      readonly kind: 'addService';
      readonly position: Position;
      readonly name?: string;
      readonly selector?: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'updateService';
      readonly name: string;
      readonly patch: Partial<
        Pick<Service, 'selector' | 'ports' | 'type' | 'externalTrafficPolicy'>
      >;
    }
  /**
   * a NetworkPolicy object, kept verbatim (an invalid one too: its problems show on it):
   * put at `index` (the list's length appends), or taken away when `object` is null
   */
  | {
      readonly kind: 'setNetworkPolicy';
      readonly index: number;
      readonly object: Readonly<Record<string, unknown>> | null;
    }
  | { readonly kind: 'connect'; readonly router: string; readonly subnet: string }
  | { readonly kind: 'disconnect'; readonly router: string; readonly subnet: string };

function freshName(prefix: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

const allNames = (s: Scenario) =>
  new Set<string>(
    [...s.subnets, ...s.routers, ...s.nodes, ...s.pods, ...s.services].map((x) => x.name),
  );

/** ReplicaSet-style names: `<base>-<5 characters>` from the alphabet the apiserver's generateName uses. */
function replicaName(name: string, taken: ReadonlySet<string>): string {
  const base = name.replace(/-[bcdfghjklmnpqrstvwxz2456789]{5}$/, '');
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  for (let n = 0; ; n++) {
    let h = 2166136261;
    for (const ch of `${name}/${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    let suffix = '';
    for (let i = 0; i < 5; i++) {
      suffix += alphabet[h % alphabet.length];
      h = Math.floor(h / alphabet.length);
    }
    const candidate = `${base}-${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The next free /24 of 10.100.0.0/16 for a new subnet. */
function freshSubnetCidr(s: Scenario): { cidr: string; gateway: string } {
  const used = s.subnets
    .map((x) => parsePrefix(x.cidr, false))
    .flatMap((r) => (r.ok ? [r.value] : []));
  for (let k = 0; k < 256; k++) {
    const cidr = `10.100.${k}.0/24`;
    const p = parsePrefix(cidr);
    if (
      p.ok &&
      !used.some(
        (u) =>
          prefixContains(u, ipFromBits(4, p.value.bits)) ||
          prefixContains(p.value, ipFromBits(4, u.bits)),
      )
    ) {
      return { cidr, gateway: `10.100.${k}.1` };
    }
  }
  return { cidr: '192.168.0.0/24', gateway: '192.168.0.1' };
}

/** The lowest free address of a subnet after its gateway, as a cloud would hand out a node IP. */
function freshNodeIp(s: Scenario, subnet: Subnet): string | undefined {
  const p = parsePrefix(subnet.cidr, false);
  if (!p.ok) return undefined;
  const taken = new Set<bigint>();
  for (const n of s.nodes) {
    const a = parseIp(n.ip);
    if (a.ok) taken.add(a.value.bits);
  }
  const gw = parseIp(subnet.gateway);
  if (gw.ok) taken.add(gw.value.bits);
  const size = 1n << BigInt(32 - p.value.len);
  for (let i = 1n; i < size - 1n; i++) {
    const bits = p.value.bits + i;
    if (!taken.has(bits)) return ipFromBits(4, bits).text;
  }
  return undefined;
}

/** A new pod serves HTTP on 80, so a curl to it (or to a Service selecting it) answers at once. */
const NEW_POD_CONTAINER: Container = {
  name: 'app',
  image: 'nginx:1.25',
  ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
};

function rename(s: Scenario, target: ObjectRef, to: string): Scenario {
  const from = target.name;
  switch (target.kind) {
    case 'subnet':
      return {
        ...s,
        subnets: s.subnets.map((x) => (x.name === from ? { ...x, name: to as SubnetName } : x)),
        routers: s.routers.map((r) => ({
          ...r,
          subnets: r.subnets.map((sn) => (sn === from ? (to as SubnetName) : sn)),
        })),
        nodes: s.nodes.map((n) => (n.subnet === from ? { ...n, subnet: to as SubnetName } : n)),
      };
    case 'router':
      return {
        ...s,
        routers: s.routers.map((x) => (x.name === from ? { ...x, name: to as RouterName } : x)),
      };
    case 'node':
      return {
        ...s,
        nodes: s.nodes.map((x) => (x.name === from ? { ...x, name: to as NodeName } : x)),
        pods: s.pods.map((p) => (p.node === from ? { ...p, node: to as NodeName } : p)),
      };
    case 'pod':
      return {
        ...s,
        // a pod is targeted by namespace/name; the new name stays in its namespace
        pods: s.pods.map((x) => (podRef(x) === from ? { ...x, name: to as PodName } : x)),
      };
    case 'service':
      return {
        ...s,
        // a Service, like a pod, is targeted by namespace/name and keeps its namespace
        services: s.services.map((x) =>
          serviceRef(x) === from ? { ...x, name: to as ServiceName } : x,
        ),
      };
  }
}

function remove(s: Scenario, target: ObjectRef): Scenario {
  const name = target.name;
  switch (target.kind) {
    case 'subnet': {
      const gone = new Set(s.nodes.filter((n) => n.subnet === name).map((n) => n.name as string));
      return {
        ...s,
        subnets: s.subnets.filter((x) => x.name !== name),
        routers: s.routers.map((r) => ({ ...r, subnets: r.subnets.filter((sn) => sn !== name) })),
        nodes: s.nodes.filter((n) => n.subnet !== name),
        pods: s.pods.filter((p) => !gone.has(p.node)),
      };
    }
    case 'router':
      return { ...s, routers: s.routers.filter((x) => x.name !== name) };
    case 'node':
      return {
        ...s,
        nodes: s.nodes.filter((x) => x.name !== name),
        pods: s.pods.filter((p) => p.node !== name),
      };
    case 'pod':
      return { ...s, pods: s.pods.filter((x) => podRef(x) !== name) };
    case 'service':
      return { ...s, services: s.services.filter((x) => serviceRef(x) !== name) };
  }
}

function move(s: Scenario, target: ObjectRef, position: Position): Scenario {
  const at = <T extends { name: string; position?: Position }>(list: readonly T[]) =>
    list.map((x) => (x.name === target.name ? { ...x, position } : x));
  switch (target.kind) {
    case 'subnet':
      return { ...s, subnets: at(s.subnets) };
    case 'router':
      return { ...s, routers: at(s.routers) };
    case 'node':
      return { ...s, nodes: at(s.nodes) };
    case 'pod':
      return {
        ...s,
        pods: s.pods.map((x) => (podRef(x) === target.name ? { ...x, position } : x)),
      };
    case 'service':
      return {
        ...s,
        services: s.services.map((x) => (serviceRef(x) === target.name ? { ...x, position } : x)),
      };
  }
}

export function applyEdit(s: Scenario, e: Edit): Scenario {
  switch (e.kind) {
    case 'setCluster': {
      const next = { ...s, cluster: { ...s.cluster, ...e.patch } };
      if (e.patch.ipam === undefined || e.patch.ipam === s.cluster.ipam) return next;
      // another IPAM plugin means new sandboxes: every pod is recreated and numbered afresh
      return {
        ...next,
        nodes: next.nodes.map(({ lastReservedIp: _l, ...n }) => n),
        pods: next.pods.map(withoutIp),
      };
    }
    case 'addSubnet': {
      const fresh = freshSubnetCidr(s);
      const cidr = e.cidr ?? fresh.cidr;
      const subnet: Subnet = {
        name: (e.name ?? freshName('subnet', allNames(s))) as SubnetName,
        cidr,
        gateway: e.cidr ? cidr.replace(/\.0\/\d+$/, '.1') : fresh.gateway,
        srcDstCheck: false,
        position: e.position,
      };
      return { ...s, subnets: [...s.subnets, subnet] };
    }
    case 'addRouter': {
      const router: Router = {
        name: (e.name ?? freshName('router', allNames(s))) as RouterName,
        subnets: (e.subnets ?? []) as SubnetName[],
        position: e.position,
      };
      return { ...s, routers: [...s.routers, router] };
    }
    case 'addNode': {
      const subnet = s.subnets.find((x) => x.name === e.subnet);
      if (!subnet) return s;
      const ip = freshNodeIp(s, subnet);
      if (!ip) return s;
      const node: KubeNode = {
        name: (e.name ?? freshName('node', allNames(s))) as NodeName,
        subnet: subnet.name,
        ip,
        position: e.position,
      };
      return { ...s, nodes: [...s.nodes, node] };
    }
    case 'addPod': {
      if (!s.nodes.some((n) => n.name === e.node)) return s;
      // named after its node, labelled after itself: a new pod joins no Service until relabelled
      const name = e.name ?? freshName(`${e.node}-pod`, allNames(s));
      const pod: Pod = {
        name: name as PodName,
        node: e.node as NodeName,
        labels: { app: name },
        containers: [NEW_POD_CONTAINER],
        position: e.position,
      };
      return { ...s, pods: [...s.pods, pod] };
    }
    case 'remove':
      return remove(s, e.target);
    case 'rename':
      return e.to === e.target.name ? s : rename(s, e.target, e.to);
    case 'move':
      return move(s, e.target, e.position);
    case 'updateSubnet':
      return {
        ...s,
        subnets: s.subnets.map((x) => (x.name === e.name ? { ...x, ...e.patch } : x)),
      };
    case 'updateNode':
      return {
        ...s,
        nodes: s.nodes.map((x) => {
          if (x.name !== e.name) return x;
          const next = { ...x, ...e.patch };
          // a podCIDR typed by hand is pinned; clearing it hands the node back to the allocator
          if ('podCidr' in e.patch) {
            if (e.patch.podCidr) return { ...next, podCidrPinned: true };
            const { podCidr: _c, podCidrPinned: _p, lastReservedIp: _l, ...rest } = next;
            return rest;
          }
          return next;
        }),
        // pods on a node whose podCIDR changed get new sandboxes (new IPs)
        pods:
          'podCidr' in e.patch ? s.pods.map((p) => (p.node === e.name ? withoutIp(p) : p)) : s.pods,
      };
    case 'updatePod':
      return {
        ...s,
        pods: s.pods.map((x) => (podRef(x) === e.name ? updatedPod(x, e.patch) : x)),
      };
    case 'recreatePod': {
      const old = s.pods.find((p) => podRef(p) === e.name);
      if (!old) return s;
      const replacement: Pod = {
        ...withoutIp(old),
        name: replicaName(old.name, allNames(s)) as PodName,
      };
      return { ...s, pods: [...s.pods.filter((p) => podRef(p) !== e.name), replacement] };
    }
    case 'addService': {
      const selector = e.selector ?? { app: 'web' };
      const service: Service = {
        name: (e.name ?? freshName('svc', allNames(s))) as ServiceName,
        selector,
        ports: [{ name: 'http', port: 80, targetPort: exposedPort(s, selector), protocol: 'TCP' }],
        position: e.position,
      };
      return { ...s, services: [...s.services, service] };
    }
    case 'updateService':
      return {
        ...s,
        services: s.services.map((x) =>
          serviceRef(x) === e.name ? withNodePorts(s, { ...x, ...e.patch }) : x,
        ),
      };
    case 'setNetworkPolicy': {
      const list = [...(s.networkPolicies ?? [])];
      if (e.index < 0 || e.index > list.length) return s;
      if (e.object === null) list.splice(e.index, 1);
      else list[e.index] = e.object;
      const { networkPolicies: _n, ...rest } = s;
      return list.length ? { ...rest, networkPolicies: list } : rest;
    }
    case 'connect':
      return {
        ...s,
        routers: s.routers.map((r) =>
          r.name === e.router && !r.subnets.includes(e.subnet as SubnetName)
            ? { ...r, subnets: [...r.subnets, e.subnet as SubnetName] }
            : r,
        ),
      };
    case 'disconnect':
      return {
        ...s,
        routers: s.routers.map((r) =>
          r.name === e.router ? { ...r, subnets: r.subnets.filter((sn) => sn !== e.subnet) } : r,
        ),
      };
  }
}

/** The port the selected pods' containers expose most: a new Service's targetPort. */
function exposedPort(s: Scenario, selector: Readonly<Record<string, string>>): number {
  const counts = new Map<number, number>();
  for (const p of s.pods) {
    if (!Object.entries(selector).every(([k, v]) => p.labels?.[k] === v)) continue;
    for (const c of p.containers)
      for (const port of c.ports ?? [])
        if ((port.protocol ?? 'TCP') === 'TCP')
          counts.set(port.containerPort, (counts.get(port.containerPort) ?? 0) + 1);
  }
  let best = 80;
  let most = 0;
  for (const [port, n] of counts) if (n > most) [best, most] = [port, n];
  return best;
}

/**
 * A pod moved to another node gets a new sandbox (a new IP); an IP typed by hand is what
 * host-local is to keep, if it can (allocate says so when it cannot); none is the next free one.
 */
function updatedPod(x: Pod, patch: Extract<Edit, { kind: 'updatePod' }>['patch']): Pod {
  const next = { ...(patch.node && patch.node !== x.node ? withoutIp(x) : x), ...patch } as Pod;
  return 'ip' in patch && !patch.ip ? withoutIp(next) : next;
}

function withoutIp(p: Pod): Pod {
  const { ip: _ip, ...rest } = p;
  return rest;
}
