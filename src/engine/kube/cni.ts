/**
 * Which CNI the cluster runs, from what the objects say, and so which podhop datapath draws it.
 * Nothing is guessed silently: every answer comes with a note naming what it was read from.
 */
import { parseIp, prefixFromBits, type Prefix } from '../addr/ip';
import { CALICO_BLOCK_SIZE } from '../ipam/cniIpam';
import type { CniName, Datapath, PolicyEnforcer } from '../scenario/types';
import { count, objAt, sample, strAt, type Obj } from './fields';
import type { NodeFacts } from './nodes';

/**
 * flannel's node annotations, written by flanneld's kube subnet manager
 * (flannel pkg/subnet/kube/annotations.go): the backend type and the public IP it encapsulates
 * to. `backend-data` carries the VTEP MAC; DirectRouting is a flag in net-conf.json, not here.
 */
const FLANNEL_BACKEND = 'flannel.alpha.coreos.com/backend-type';
const FLANNEL_PUBLIC_IP = 'flannel.alpha.coreos.com/public-ip';
/** calico-node's node annotations (calico node/pkg/startup): address and tunnel addresses */
const CALICO_ADDRESS = 'projectcalico.org/IPv4Address';
const CALICO_IPIP = 'projectcalico.org/IPv4IPIPTunnelAddr';
const CALICO_VXLAN = 'projectcalico.org/IPv4VXLANTunnelAddr';

/** flannel's DaemonSet (kube-flannel.yml) and Calico's (calico.yaml, or the operator's) */
const FLANNEL_POD = /^kube-flannel-ds-/;
const FLANNEL_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-flannel']);
const CALICO_POD = /^calico-node-/;
const CALICO_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'calico-system']);

export interface PodRef {
  readonly namespace: string;
  readonly name: string;
}

export interface CniGuess {
  readonly datapath: Datapath;
  /** kubenet-style: the cloud route table on the underlay router carries the podCIDRs */
  readonly cloudRoutes: boolean;
  /** Calico enforces NetworkPolicy (Felix); flannel and kubenet do not */
  readonly networkPolicy: PolicyEnforcer;
  /** the CNI and backend, as podhop names them (network/cni/) */
  readonly cni: CniName;
}

/** "3 pods kube-flannel/kube-flannel-ds-*", or '' for none */
const podsPhrase = (found: readonly PodRef[], prefix: string): string =>
  found.length > 0 ? `${count(found.length, 'pod')} ${found[0]!.namespace}/${prefix}*` : '';
const both = (...parts: readonly string[]): string => parts.filter((p) => p !== '').join(' and ');

const withAnnotation = (nodes: readonly NodeFacts[], key: string): NodeFacts[] =>
  nodes.filter((n) => n.annotations[key] !== undefined);

export function detectCni(
  nodes: readonly NodeFacts[],
  pods: readonly PodRef[],
  notes: string[],
): CniGuess {
  const flannelPods = pods.filter(
    (p) => FLANNEL_NAMESPACES.has(p.namespace) && FLANNEL_POD.test(p.name),
  );
  const calicoPods = pods.filter(
    (p) => CALICO_NAMESPACES.has(p.namespace) && CALICO_POD.test(p.name),
  );
  const flannelNodes = withAnnotation(nodes, FLANNEL_BACKEND);
  const calicoNodes = withAnnotation(nodes, CALICO_ADDRESS);
  const flannelSaid = podsPhrase(flannelPods, 'kube-flannel-ds-');
  const calicoSaid = podsPhrase(calicoPods, 'calico-node-');

  if (flannelNodes.length > 0) {
    const backends = [...new Set(flannelNodes.map((n) => n.annotations[FLANNEL_BACKEND]!))];
    const backend = backends[0]!;
    const from = both(
      `${FLANNEL_BACKEND}: ${backend} on ${count(flannelNodes.length, 'node')}`,
      flannelSaid,
    );
    if (backends.length > 1)
      notes.push(
        `the nodes disagree on flannel's backend (${backends.join(', ')}): ${backend} taken`,
      );
    const mismatched = flannelNodes.filter(
      (n) =>
        n.annotations[FLANNEL_PUBLIC_IP] !== undefined &&
        n.annotations[FLANNEL_PUBLIC_IP] !== n.ip.text,
    );
    if (mismatched.length > 0)
      notes.push(
        `flannel encapsulates to another address than the InternalIP on ${count(mismatched.length, 'node')} (${sample(mismatched.map((n) => `${n.name}: ${FLANNEL_PUBLIC_IP} ${n.annotations[FLANNEL_PUBLIC_IP]}`))}); podhop uses the InternalIP`,
      );
    if (backend === 'host-gw') {
      notes.push(`CNI: flannel host-gw, detected from ${from} → datapath direct`);
      return {
        datapath: 'direct',
        cloudRoutes: false,
        networkPolicy: 'none',
        cni: 'flannel-host-gw',
      };
    }
    if (backend === 'vxlan') {
      notes.push(
        `CNI: flannel VXLAN, detected from ${from} → datapath overlay (flannel's DirectRouting, which would make it crossSubnet, is set in net-conf.json and does not show in the annotations)`,
      );
      return {
        datapath: 'overlay',
        cloudRoutes: false,
        networkPolicy: 'none',
        cni: 'flannel-vxlan',
      };
    }
    notes.push(
      `CNI: flannel with the ${backend} backend, detected from ${from}; podhop does not model ${backend}: drawn as overlay (VXLAN)`,
    );
    return { datapath: 'overlay', cloudRoutes: false, networkPolicy: 'none', cni: 'flannel-vxlan' };
  }

  if (calicoNodes.length > 0 || calicoPods.length > 0) {
    const ipip = withAnnotation(nodes, CALICO_IPIP);
    const vxlan = withAnnotation(nodes, CALICO_VXLAN);
    const from = both(
      calicoNodes.length > 0 ? `${CALICO_ADDRESS} on ${count(calicoNodes.length, 'node')}` : '',
      calicoSaid,
    );
    if (vxlan.length > 0) {
      notes.push(
        `CNI: Calico VXLAN, detected from ${from} and ${CALICO_VXLAN} on ${count(vxlan.length, 'node')} → CNI calico-vxlan (a CrossSubnet IPPool is in the IPPool, not in these objects)`,
      );
      return {
        datapath: 'overlay',
        cloudRoutes: false,
        networkPolicy: 'felix',
        cni: 'calico-vxlan',
      };
    }
    if (ipip.length > 0) {
      notes.push(
        `CNI: Calico IPIP, detected from ${from} and ${CALICO_IPIP} on ${count(ipip.length, 'node')} → CNI calico-ipip (a CrossSubnet IPPool is in the IPPool, not in these objects)`,
      );
      return {
        datapath: 'overlay',
        cloudRoutes: false,
        networkPolicy: 'felix',
        cni: 'calico-ipip',
      };
    }
    if (calicoNodes.length > 0) {
      notes.push(
        `CNI: Calico without tunnel addresses (BGP, no encapsulation), detected from ${from} → CNI calico-bgp`,
      );
      return { datapath: 'direct', cloudRoutes: false, networkPolicy: 'felix', cni: 'calico-bgp' };
    }
    notes.push(
      `CNI: Calico, detected from ${from}; no node annotation says IPIP or VXLAN: CNI calico-ipip assumed (calico.yaml's default IPPool has ipipMode Always)`,
    );
    return { datapath: 'overlay', cloudRoutes: false, networkPolicy: 'felix', cni: 'calico-ipip' };
  }

  if (flannelPods.length > 0) {
    notes.push(
      `CNI: flannel, detected from ${flannelSaid}; no node carries ${FLANNEL_BACKEND}: datapath overlay assumed (flannel's default backend is vxlan)`,
    );
    return { datapath: 'overlay', cloudRoutes: false, networkPolicy: 'none', cni: 'flannel-vxlan' };
  }

  // kubenet needs no pods of its own; so only a listing that shows kube-system's pods (kube-proxy,
  // CoreDNS) without any CNI among them says "no CNI DaemonSet", not a manifest file that
  // simply does not list system pods
  const withPodCidr = nodes.filter((n) => n.podCidr !== undefined);
  const systemPods = pods.filter((p) => p.namespace === 'kube-system').length;
  if (withPodCidr.length > 0 && systemPods > 0) {
    const providers = [
      ...new Set(
        nodes.map((n) => n.providerID?.split(':')[0]).filter((p) => p !== undefined && p !== ''),
      ),
    ];
    notes.push(
      `CNI: none found (no flannel or Calico node annotations, none of ${count(systemPods, 'kube-system pod')} is a CNI's) and ${count(withPodCidr.length, 'node')} with spec.podCIDR${providers.length > 0 ? ` on ${providers.join(', ')} (spec.providerID)` : ''}: kubenet-style, the cloud routes each podCIDR to its node → datapath gateway`,
    );
    return { datapath: 'gateway', cloudRoutes: true, networkPolicy: 'none', cni: 'kubenet' };
  }
  notes.push(
    'CNI: nothing in the objects says which CNI runs (no flannel or Calico annotations, no kube-system pods to look among): datapath overlay assumed',
  );
  return { datapath: 'overlay', cloudRoutes: false, networkPolicy: 'none', cni: 'flannel-vxlan' };
}

/**
 * A Calico node's block: Calico ignores spec.podCIDR (calico-ipam numbers pods from blocks
 * of the IPPool, claimed per node with affinity), so what stands for a node's pod range is
 * the /26 (the IPPool's default blockSize) holding its tunnel address — the first address
 * Calico takes from the block — or, without a tunnel (BGP), holding its first pod's IP.
 */
export function calicoBlocks(
  nodes: readonly NodeFacts[],
  pods: readonly Obj[],
  notes: string[],
): Map<string, Prefix> {
  const firstPodIp = new Map<string, string>();
  for (const p of pods) {
    const spec = objAt(p, 'spec');
    const node = strAt(spec, 'nodeName');
    const ip = strAt(objAt(p, 'status'), 'podIP');
    if (node && ip && spec?.['hostNetwork'] !== true && !firstPodIp.has(node))
      firstPodIp.set(node, ip);
  }
  const out = new Map<string, Prefix>();
  const from: string[] = [];
  for (const n of nodes) {
    const tunnel = n.annotations[CALICO_IPIP] ?? n.annotations[CALICO_VXLAN];
    const seen = tunnel ?? firstPodIp.get(n.name);
    const ip = seen === undefined ? undefined : parseIp(seen);
    if (!ip?.ok || ip.value.family !== 4) continue;
    const block = prefixFromBits(4, ip.value.bits, CALICO_BLOCK_SIZE);
    out.set(n.name, block);
    from.push(`${n.name} ${block.text}${tunnel ? '' : ' (from its first pod)'}`);
  }
  if (from.length > 0)
    notes.push(
      `Calico numbers pods from IP pool blocks, not from spec.podCIDR: each node's block is the /${CALICO_BLOCK_SIZE} (the IPPool's default blockSize) holding its tunnel address — ${sample(from)}`,
    );
  return out;
}
