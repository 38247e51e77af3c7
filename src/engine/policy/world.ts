/**
 * What a NetworkPolicy looks at in a cluster: namespaces with their labels
 * (each carrying kubernetes.io/metadata.name, which the API server sets and
 * keeps, KEP-2161), pods with their labels, IPs, nodes and named container
 * ports. Read from a scenario whose allocations are made — a built Network's
 * `scenario`, or an imported cluster whose pods carry their IPs.
 */
import { parseIp, type IpAddr } from '../addr/ip';
import { DEFAULT_NAMESPACE, SYSTEM_NAMESPACES } from '../scenario/ids';
import type { Labels } from './types';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The parts of a scenario a policy reads (a Scenario is one). */
export interface PolicyScenario {
  readonly pods: readonly {
    readonly name: string;
    readonly namespace?: string;
    readonly node: string;
    readonly labels?: Labels;
    readonly ip?: string;
    readonly containers: readonly {
      readonly ports?: readonly {
        readonly containerPort: number;
        readonly protocol?: string;
        readonly name?: string;
      }[];
    }[];
  }[];
  readonly nodes: readonly { readonly name: string; readonly ip: string }[];
  readonly namespaces?: readonly { readonly name: string; readonly labels?: Labels }[];
  readonly networkPolicies?: readonly unknown[];
}

export interface NamedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: string;
}

export interface PolicyPod {
  /** `namespace/name`, as the e2e suite's truth tables name a pod */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** undefined while the pod has no sandbox (Pending, no IP left) */
  readonly ip?: IpAddr;
  readonly node: string;
  readonly nodeIp?: IpAddr;
  /** container ports that have a name: what a policy's named port resolves to */
  readonly namedPorts: readonly NamedPort[];
}

export interface PolicyWorld {
  readonly pods: readonly PolicyPod[];
  readonly namespaceLabels: ReadonlyMap<string, Labels>;
  pod(key: string): PolicyPod | undefined;
  /** the pod holding an address, if exactly one does */
  podByIp(ip: IpAddr): PolicyPod | undefined;
}

export function policyWorld(s: PolicyScenario): PolicyWorld {
  const namespaceLabels = new Map<string, Labels>();
  for (const name of SYSTEM_NAMESPACES) namespaceLabels.set(name, { [NAMESPACE_NAME_LABEL]: name });
  for (const ns of s.namespaces ?? [])
    namespaceLabels.set(ns.name, { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name });
  const nodeIp = new Map<string, IpAddr>();
  for (const n of s.nodes) {
    const a = parseIp(n.ip);
    if (a.ok) nodeIp.set(n.name, a.value);
  }
  const pods = s.pods.map((p): PolicyPod => {
    const namespace = p.namespace ?? DEFAULT_NAMESPACE;
    const ip = p.ip === undefined ? undefined : parseIp(p.ip);
    const at = nodeIp.get(p.node);
    return {
      key: `${namespace}/${p.name}`,
      namespace,
      name: p.name,
      labels: p.labels ?? {},
      ...(ip?.ok ? { ip: ip.value } : {}),
      node: p.node,
      ...(at ? { nodeIp: at } : {}),
      namedPorts: p.containers.flatMap((c) =>
        (c.ports ?? []).flatMap((cp) =>
          cp.name
            ? [{ name: cp.name, port: cp.containerPort, protocol: cp.protocol ?? 'TCP' }]
            : [],
        ),
      ),
    };
  });
  const byKey = new Map(pods.map((p) => [p.key, p]));
  const byIp = new Map<bigint, PolicyPod | null>();
  for (const p of pods) {
    if (!p.ip) continue;
    byIp.set(p.ip.bits, byIp.has(p.ip.bits) ? null : p);
  }
  return {
    pods,
    namespaceLabels,
    pod: (key) => byKey.get(key),
    podByIp: (ip) => byIp.get(ip.bits) ?? undefined,
  };
}
