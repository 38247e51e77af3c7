import {
  DEFAULT_NAMESPACE,
  parseServiceRef,
  serviceRef,
  objectKey,
  parsePodRef,
  podKey,
  podNamespace,
  podRef,
  serviceKey,
  SYSTEM_NAMESPACES,
} from './ids';
import { dns1123LabelError, labelKeyError, labelValueError } from './k8sNames';
import {
  parseIp,
  parsePrefix,
  prefixContains,
  prefixesOverlap,
  prefixSize,
  type Prefix,
} from '../addr/ip';
import { visible } from '../quote';
import { DATAPATHS, IPAM_MODES, type Scenario } from './types';
import type { Problem } from './problems';

/** kube-apiserver's maxCIDRBits: a service range holds at most 2^20 addresses. */
const MAX_SERVICE_CIDR_BITS = 20;
/** kube-apiserver's smallest `--service-cluster-ip-range` (a /29). */
const MIN_SERVICE_RANGE = 8n;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME = 63;

/** A label map's keys and values as the apiserver checks them (ValidateLabels). */
function labelProblems(
  labels: Readonly<Record<string, string>> | undefined,
  field: string,
): string[] {
  return Object.entries(labels ?? {}).flatMap(([k, v]) => {
    const key = labelKeyError(k);
    const value = labelValueError(v);
    return [
      ...(key ? [`${field}: Invalid value: "${k}": ${key}`] : []),
      ...(value ? [`${field}: Invalid value: "${v}": ${value}`] : []),
    ];
  });
}

/** RFC 1123 label, as `kubectl` rejects a bad name. */
function nameProblem(kind: string, name: string): string | undefined {
  if (name.length > MAX_NAME || !DNS_LABEL.test(name)) {
    return `${kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
  }
  return undefined;
}

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return [...dup];
}

/**
 * Every problem at once, so a user can fix them together. Never throws: the
 * input may be anything a link or a file carried (it is typed, not trusted).
 */
export function validateScenario(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  // every text embeds user input somewhere; the fixed words hold no invisible characters,
  // so escaping the whole text shows the input as kubectl's %q would (quote.ts)
  const add = (object: string, text: string, field?: string) =>
    problems.push({
      kind: object === 'cluster' ? 'cluster' : 'refused',
      object,
      text: visible(text),
      ...(field === undefined ? {} : { field }),
    });
  const duplicate = (object: string, text: string) =>
    problems.push({ kind: 'duplicate', object, text: visible(text) });

  const c = s.cluster;
  let clusterCidr: Prefix | undefined;
  // kube-controller-manager: k8s.io/utils/net ParseCIDRs over net.ParseCIDR, which masks the
  // host bits away (10.244.1.0/16 is 10.244.0.0/16) and refuses only what is no CIDR at all
  const cc = parsePrefix(c.clusterCidr, false);
  if (cc.ok) clusterCidr = cc.value;
  else
    add(
      'cluster',
      `failed to parse cidr value:"${c.clusterCidr}" with error:invalid CIDR address: ${c.clusterCidr}`,
      'clusterCidr',
    );
  const sc = parsePrefix(c.serviceCidr);
  let serviceCidr: Prefix | undefined;
  if (!sc.ok)
    add(
      'cluster',
      `invalid argument "${c.serviceCidr}" for "--service-cluster-ip-range" flag: ${sc.error.text}`,
      'serviceCidr',
    );
  else if (sc.value.len < 32 - MAX_SERVICE_CIDR_BITS)
    // cmd/kube-apiserver/app/options/validation.go validateClusterIPFlags: the range is
    // kept as one bitmap in etcd, so at most 20 host bits (maxCIDRBits)
    add(
      'cluster',
      `specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= ${32 - MAX_SERVICE_CIDR_BITS}`,
      'serviceCidr',
    );
  else if (prefixSize(sc.value) < MIN_SERVICE_RANGE)
    // pkg/controlplane/services.go ServiceIPRange: the `kubernetes` Service takes the
    // first address (GetIndexedIP(range, 1)) and the allocator needs room for ClusterIPs
    add(
      'cluster',
      `error determining service IP ranges for primary service cidr: the service cluster IP range must be at least ${MIN_SERVICE_RANGE} IP addresses`,
      'serviceCidr',
    );
  else serviceCidr = sc.value;
  if (!Number.isInteger(c.nodeCidrMaskSize) || c.nodeCidrMaskSize < 1 || c.nodeCidrMaskSize > 32) {
    add(
      'cluster',
      `invalid argument "${c.nodeCidrMaskSize}" for "--node-cidr-mask-size" flag: must be an integer from 1 to 32`,
      'nodeCidrMaskSize',
    );
  } else if (clusterCidr && clusterCidr.len > c.nodeCidrMaskSize) {
    // kube-controller-manager, pkg/controller/nodeipam/node_ipam_controller.go
    add(
      'cluster',
      'Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family',
      'nodeCidrMaskSize',
    );
  }
  // cidrset.NewCIDRSet limits the mask difference to 16 (clusterSubnetMaxDiff) for IPv6 only;
  // an IPv4 cluster CIDR may be cut into blocks of any size down to /32. Blocks too small for
  // a pod (/31, /32) are accepted here and fail where host-local fails, on the node.
  if (!Number.isInteger(c.maxPods) || c.maxPods < 1)
    add('cluster', `maxPods: Invalid value: ${c.maxPods}: must be a positive integer`, 'maxPods');
  if (!DATAPATHS.includes(c.datapath))
    add(
      'cluster',
      `unknown datapath "${String(c.datapath)}" (expected ${DATAPATHS.join(', ')})`,
      'datapath',
    );
  if (!IPAM_MODES.includes(c.ipam))
    add(
      'cluster',
      `unknown IPAM mode "${String(c.ipam)}" (expected ${IPAM_MODES.join(', ')})`,
      'ipam',
    );

  const subnetCidrs = new Map<string, Prefix>();
  for (const d of duplicates(s.subnets.map((x) => x.name)))
    duplicate(objectKey('subnet', d), `subnet "${d}" already exists`);
  for (const sub of s.subnets) {
    const obj = objectKey('subnet', sub.name);
    const p = parsePrefix(sub.cidr);
    if (!p.ok) {
      add(obj, p.error.text, 'cidr');
      continue;
    }
    subnetCidrs.set(sub.name, p.value);
    const gw = parseIp(sub.gateway);
    if (!gw.ok) add(obj, gw.error, 'gateway');
    else if (!prefixContains(p.value, gw.value))
      add(obj, `gateway ${sub.gateway} is not inside ${sub.cidr}`, 'gateway');
    if (sub.mtu !== undefined && (!Number.isInteger(sub.mtu) || sub.mtu < 576 || sub.mtu > 9216)) {
      add(obj, `Error: mtu ${sub.mtu} is out of range (576-9216).`, 'mtu');
    }
  }
  const subnetList = [...subnetCidrs.entries()];
  for (let i = 0; i < subnetList.length; i++) {
    for (let j = i + 1; j < subnetList.length; j++) {
      const [an, ap] = subnetList[i]!;
      const [bn, bp] = subnetList[j]!;
      if (prefixesOverlap(ap, bp))
        add(objectKey('subnet', bn), `${bp.text} overlaps subnet ${an} (${ap.text})`, 'cidr');
    }
  }

  for (const d of duplicates(s.routers.map((x) => x.name)))
    duplicate(objectKey('router', d), `router "${d}" already exists`);
  for (const r of s.routers) {
    for (const sn of r.subnets)
      if (!subnetCidrs.has(sn) && !s.subnets.some((x) => x.name === sn))
        add(objectKey('router', r.name), `subnet "${sn}" not found`, 'subnets');
    for (const d of duplicates(r.subnets))
      add(objectKey('router', r.name), `joins subnet "${d}" twice`, 'subnets');
  }

  const nodeNames = new Set<string>();
  for (const d of duplicates(s.nodes.map((x) => x.name)))
    duplicate(objectKey('node', d), `nodes "${d}" already exists`);
  const nodeIps = new Map<string, string>();
  for (const n of s.nodes) {
    const obj = objectKey('node', n.name);
    nodeNames.add(n.name);
    const bad = nameProblem('Node', n.name);
    if (bad) add(obj, bad, 'name');
    const subnet = subnetCidrs.get(n.subnet);
    if (!s.subnets.some((x) => x.name === n.subnet))
      add(obj, `subnet "${n.subnet}" not found`, 'subnet');
    const nip = parseIp(n.ip);
    if (!nip.ok) add(obj, nip.error, 'ip');
    else {
      if (subnet && !prefixContains(subnet, nip.value))
        add(obj, `node IP ${n.ip} is not inside its subnet ${subnet.text}`, 'ip');
      const owner = nodeIps.get(nip.value.text);
      if (owner) add(obj, `node IP ${n.ip} is already used by node ${owner}`, 'ip');
      else nodeIps.set(nip.value.text, n.name);
      const sub = s.subnets.find((x) => x.name === n.subnet);
      if (sub && sub.gateway === nip.value.text)
        add(obj, `node IP ${n.ip} is the subnet gateway's address`, 'ip');
    }
    // any CIDR is a valid spec.podCIDR; one without host addresses fails in host-local, not here
    if (n.podCidr !== undefined) {
      const pc = parsePrefix(n.podCidr);
      if (!pc.ok)
        add(obj, `spec.podCIDR: Invalid value: "${n.podCidr}": ${pc.error.text}`, 'podCidr');
    }
  }

  // names are unique within a namespace; the same name in two namespaces is two pods
  const namespaces = new Set<string>([
    ...SYSTEM_NAMESPACES,
    ...(s.namespaces ?? []).map((n) => n.name),
  ]);
  for (const d of duplicates((s.namespaces ?? []).map((x) => x.name)))
    duplicate(objectKey('namespace', d), `namespaces "${d}" already exists`);
  for (const d of duplicates(s.pods.map(podRef)))
    duplicate(objectKey('pod', d), `pods "${parsePodRef(d)?.name ?? d}" already exists`);
  for (const p of s.pods) {
    const obj = podKey(p);
    if (!namespaces.has(podNamespace(p)))
      add(obj, `namespaces "${podNamespace(p)}" not found`, 'namespace');
    const bad = nameProblem('Pod', p.name);
    if (bad) add(obj, bad, 'name');
    if (!nodeNames.has(p.node)) add(obj, `nodes "${p.node}" not found`, 'node');
    if (p.containers.length === 0)
      add(obj, `Pod "${p.name}" is invalid: spec.containers: Required value`, 'containers');
    for (const d of duplicates(p.containers.map((x) => x.name)))
      add(
        obj,
        `Pod "${p.name}" is invalid: spec.containers[1].name: Duplicate value: "${d}"`,
        'containers',
      );
    p.containers.forEach((ctr, i) => {
      const bad = dns1123LabelError(ctr.name);
      if (bad)
        add(
          obj,
          `Pod "${p.name}" is invalid: spec.containers[${i}].name: Invalid value: "${ctr.name}": ${bad}`,
          'containers',
        );
    });
    for (const bad of labelProblems(p.labels, 'metadata.labels'))
      add(obj, `Pod "${p.name}" is invalid: ${bad}`, 'labels');
    for (const ctr of p.containers) {
      for (const port of ctr.ports ?? []) {
        if (
          !Number.isInteger(port.containerPort) ||
          port.containerPort < 1 ||
          port.containerPort > 65535
        ) {
          add(
            obj,
            `Pod "${p.name}" is invalid: spec.containers.ports.containerPort: Invalid value: ${port.containerPort}: must be between 1 and 65535, inclusive`,
            'containers',
          );
        }
      }
    }
    if (p.ip !== undefined) {
      const pip = parseIp(p.ip);
      if (!pip.ok) add(obj, pip.error, 'ip');
    }
  }

  // one name per namespace, as for pods: web in x and web in default are two Services
  for (const d of duplicates(s.services.map(serviceRef)))
    duplicate(
      objectKey('service', d),
      `services "${parseServiceRef(d)?.name ?? d}" already exists`,
    );
  for (const svc of s.services) {
    if (!namespaces.has(svc.namespace ?? DEFAULT_NAMESPACE))
      add(serviceKey(svc), `namespaces "${svc.namespace}" not found`, 'namespace');
    const bad = nameProblem('Service', svc.name);
    if (bad) add(serviceKey(svc), bad, 'name');
    for (const bad of labelProblems(svc.selector, 'spec.selector'))
      add(serviceKey(svc), `Service "${svc.name}" is invalid: ${bad}`, 'selector');
    if (svc.ports.length === 0)
      add(serviceKey(svc), `Service "${svc.name}" is invalid: spec.ports: Required value`, 'ports');
    if (svc.clusterIP !== undefined) {
      // pkg/registry/core/service/ipallocator: a stored ClusterIP must lie in the range
      // ("failed to allocate IP …: the provided IP (…) is not in the valid range")
      const cip = parseIp(svc.clusterIP);
      if (!cip.ok)
        add(
          serviceKey(svc),
          `Service "${svc.name}" is invalid: spec.clusterIPs[0]: Invalid value: "${svc.clusterIP}": must be a valid IP address`,
          'clusterIP',
        );
      else if (serviceCidr && !prefixContains(serviceCidr, cip.value))
        add(
          serviceKey(svc),
          `Service "${svc.name}" is invalid: spec.clusterIPs: Invalid value: []string{"${svc.clusterIP}"}: failed to allocate IP ${svc.clusterIP}: the provided IP (${svc.clusterIP}) is not in the valid range. The range of valid IPs is ${serviceCidr.text}`,
          'clusterIP',
        );
    }
    for (const [i, port] of svc.ports.entries()) {
      for (const [v, f] of [
        [port.port, 'port'],
        [port.targetPort, 'targetPort'],
      ] as const) {
        if (!Number.isInteger(v) || v < 1 || v > 65535)
          add(
            serviceKey(svc),
            `Service "${svc.name}" is invalid: spec.ports[${i}].${f}: Invalid value: ${v}: must be between 1 and 65535, inclusive`,
            'ports',
          );
      }
    }
  }
  return problems;
}
