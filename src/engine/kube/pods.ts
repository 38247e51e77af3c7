/**
 * Pod objects to scenario pods. Field meanings from the API reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/):
 * `spec.nodeName` is set once scheduled; `status.podIP` is the address the CNI gave the
 * sandbox; `status.phase` is Pending, Running, Succeeded, Failed or Unknown.
 */
import { parseIp, prefixContains, type IpAddr, type Prefix } from '../addr/ip';
import type { Protocol } from '../scenario/types';
import type { DocContainer, DocContainerPort, DocPod } from './document';
import type { PodRef } from './cni';
import {
  count,
  isEmpty,
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

export const podRefs = (pods: readonly Obj[]): PodRef[] =>
  pods.flatMap((p) => {
    const name = nameOf(p);
    return name ? [{ namespace: namespaceOf(p), name }] : [];
  });

function podIp(status: Obj | undefined): IpAddr | undefined {
  const candidates = [
    strAt(status, 'podIP'),
    ...objsAt(status, 'podIPs').map((x) => strAt(x, 'ip')),
  ];
  for (const c of candidates) {
    if (c === undefined) continue;
    const parsed = parseIp(c);
    if (parsed.ok && parsed.value.family === 4) return parsed.value;
  }
  return undefined;
}

/** TCP and UDP are modelled; SCTP ports are counted and left out. */
function containerOf(c: Obj, sctp: { n: number }): DocContainer | undefined {
  const name = strAt(c, 'name');
  if (!name) return undefined;
  const ports: DocContainerPort[] = [];
  for (const p of objsAt(c, 'ports')) {
    const containerPort = numAt(p, 'containerPort');
    if (containerPort === undefined) continue;
    // the API server defaults protocol to TCP
    const protocol = strAt(p, 'protocol') ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') {
      sctp.n++;
      continue;
    }
    const portName = strAt(p, 'name');
    ports.push({
      ...(portName ? { name: portName } : {}),
      containerPort,
      protocol: protocol as Protocol,
    });
  }
  return {
    name,
    image: strAt(c, 'image') ?? '',
    ...(ports.length > 0 ? { ports } : {}),
  };
}

export function readPods(
  objects: readonly Obj[],
  nodeNames: ReadonlySet<string>,
  nodePodCidrs: ReadonlyMap<string, Prefix>,
  notes: string[],
): DocPod[] {
  const out: DocPod[] = [];
  const seen = new Set<string>();
  const left = {
    hostNetwork: 0,
    unscheduled: 0,
    finished: 0,
    unknownNode: [] as string[],
    duplicate: [] as string[],
  };
  const noIp: string[] = [];
  const outside: string[] = [];
  const sctp = { n: 0 };
  for (const pod of objects) {
    const name = nameOf(pod);
    if (!name) continue;
    const namespace = namespaceOf(pod);
    const id = `${namespace}/${name}`;
    const spec = objAt(pod, 'spec');
    const status = objAt(pod, 'status');
    const node = strAt(spec, 'nodeName');
    const phase = strAt(status, 'phase');
    const ip = podIp(status);
    const hostIp = strAt(status, 'hostIP');
    if (spec?.['hostNetwork'] === true || (ip !== undefined && ip.text === hostIp)) {
      left.hostNetwork++;
      continue;
    }
    if (!node) {
      left.unscheduled++;
      continue;
    }
    if (phase === 'Succeeded' || phase === 'Failed') {
      left.finished++;
      continue;
    }
    if (!nodeNames.has(node)) {
      left.unknownNode.push(`${id} on ${node}`);
      continue;
    }
    if (seen.has(id)) {
      left.duplicate.push(id);
      continue;
    }
    seen.add(id);
    const containers = objsAt(spec, 'containers')
      .map((c) => containerOf(c, sctp))
      .filter((c): c is DocContainer => c !== undefined);
    const metadata = objAt(pod, 'metadata');
    const labels = stringMapAt(metadata, 'labels');
    const position = parsePosition(stringMapAt(metadata, 'annotations')[POSITION_ANNOTATION]);
    if (!ip) noIp.push(id);
    else {
      const range = nodePodCidrs.get(node);
      if (range && !prefixContains(range, ip))
        outside.push(`${id} ${ip.text} on ${node} (${range.text})`);
    }
    out.push({
      namespace,
      name,
      node,
      ...(isEmpty(labels) ? {} : { labels }),
      containers,
      ...(spec?.['shareProcessNamespace'] === true ? { shareProcessNamespace: true } : {}),
      ...(ip ? { ip: ip.text } : {}),
      ...(phase ? { phase } : {}),
      ...(position ? { position } : {}),
    });
  }
  if (left.hostNetwork > 0)
    notes.push(
      `left out: ${count(left.hostNetwork, 'hostNetwork pod')} (they share their node's network namespace)`,
    );
  if (left.unscheduled > 0)
    notes.push(`left out: ${count(left.unscheduled, 'pod')} not scheduled yet (no spec.nodeName)`);
  if (left.finished > 0)
    notes.push(
      `left out: ${count(left.finished, 'pod')} Succeeded or Failed (their sandbox and IP are gone)`,
    );
  if (left.unknownNode.length > 0)
    notes.push(
      `left out: ${count(left.unknownNode.length, 'pod')} on a node that is not imported (${sample(left.unknownNode)})`,
    );
  if (left.duplicate.length > 0)
    notes.push(
      `left out: ${count(left.duplicate.length, 'pod')} given twice (${sample(left.duplicate)}); the first is kept`,
    );
  if (noIp.length > 0)
    notes.push(
      `${count(noIp.length, 'pod')} without status.podIP yet (${sample(noIp)}): podhop's IPAM gives them one`,
    );
  if (outside.length > 0)
    notes.push(
      `${count(outside.length, 'pod IP')} outside the node's podCIDR (${sample(outside)}): kept as allocated (Calico's IPAM, for one, hands out blocks of its IP pool regardless of spec.podCIDR)`,
    );
  if (sctp.n > 0)
    notes.push(`left out: ${count(sctp.n, 'SCTP container port')} (podhop models TCP and UDP)`);
  return out;
}
