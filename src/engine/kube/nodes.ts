/**
 * Node objects to what podhop needs of them. Field meanings from the API reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/node-v1/):
 * `spec.podCIDR` is the range kube-controller-manager's node IPAM gave the node
 * (`spec.podCIDRs` holds one per IP family); `status.addresses` lists InternalIP,
 * ExternalIP and Hostname as the kubelet or the cloud provider reported them.
 */
import { parseIp, parsePrefix, type IpAddr, type Prefix } from '../addr/ip';
import {
  count,
  listAt,
  nameOf,
  objAt,
  objsAt,
  sample,
  strAt,
  stringMapAt,
  type Obj,
} from './fields';

export interface NodeFacts {
  readonly name: string;
  readonly ip: IpAddr;
  readonly podCidr?: Prefix;
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly providerID?: string;
  /** kubelet's pod capacity, `status.capacity.pods` (its --max-pods) */
  readonly maxPods?: number;
}

/** The first IPv4 InternalIP: podhop's underlay is IPv4 (README, "Where podhop simplifies"). */
function internalIp(node: Obj): IpAddr | undefined {
  for (const a of objsAt(objAt(node, 'status'), 'addresses')) {
    if (strAt(a, 'type') !== 'InternalIP') continue;
    const parsed = parseIp(strAt(a, 'address') ?? '');
    if (parsed.ok && parsed.value.family === 4) return parsed.value;
  }
  return undefined;
}

function podCidrOf(spec: Obj | undefined): Prefix | undefined {
  const candidates = [strAt(spec, 'podCIDR'), ...listAt(spec, 'podCIDRs')];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const p = parsePrefix(c);
    if (p.ok && p.value.family === 4) return p.value;
  }
  return undefined;
}

export function readNodes(objects: readonly Obj[], notes: string[]): NodeFacts[] {
  const out: NodeFacts[] = [];
  const seen = new Set<string>();
  const noAddress: string[] = [];
  const noPodCidr: string[] = [];
  for (const node of objects) {
    const name = nameOf(node);
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const ip = internalIp(node);
    if (!ip) {
      noAddress.push(name);
      continue;
    }
    const spec = objAt(node, 'spec');
    const podCidr = podCidrOf(spec);
    if (!podCidr) noPodCidr.push(name);
    const providerID = strAt(spec, 'providerID');
    const pods = Number(strAt(objAt(objAt(node, 'status'), 'capacity'), 'pods'));
    const metadata = objAt(node, 'metadata');
    out.push({
      name,
      ip,
      ...(podCidr ? { podCidr } : {}),
      annotations: stringMapAt(metadata, 'annotations'),
      labels: stringMapAt(metadata, 'labels'),
      ...(providerID ? { providerID } : {}),
      ...(Number.isInteger(pods) && pods > 0 ? { maxPods: pods } : {}),
    });
  }
  if (noAddress.length > 0)
    notes.push(
      `left out: ${count(noAddress.length, 'node')} without an IPv4 InternalIP in status.addresses (${sample(noAddress)})`,
    );
  if (noPodCidr.length > 0)
    notes.push(
      `${count(noPodCidr.length, 'node')} without spec.podCIDR (${sample(noPodCidr)}): podhop's IPAM gives them one from the cluster CIDR`,
    );
  return out;
}
