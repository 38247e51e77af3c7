/**
 * A word on a delivery from the NetworkPolicies the cluster stores but nothing enforces
 * (cluster.networkPolicy `none`: flannel and kubenet implement no NetworkPolicy, as their
 * docs say). The packet is delivered as it is on such a cluster; the hop says which policy
 * would have denied it, so what the policy says and what the datapath does are both seen.
 * The walk asks this for every delivery and never asks which CNI runs: a cluster whose
 * policies are enforced decides on its own hops (Felix's chains), and gets no note here.
 */
import type { Namespace } from '../network/types';
import { podNamespace } from '../scenario/ids';
import { clusterPoliciesOf, unenforcedDenials, unenforcedText } from '../policy/index';
import type { Traffic } from '../policy/index';
import type { Hop } from './hop';
import { isIcmpError, outerIp, transport, type Packet } from './packet';
import type { Walker } from './walker';

function trafficOf(pkt: Packet): Traffic | undefined {
  const l4 = transport(pkt);
  if (!l4 || isIcmpError(pkt)) return undefined;
  if (l4.kind === 'tcp') return { protocol: 'TCP', port: l4.dport };
  if (l4.kind === 'udp') return { protocol: 'UDP', port: l4.dport };
  return l4.type === 'echo-request' ? { protocol: 'ICMP' } : undefined;
}

/** What a delivery hop adds: `notes` with each policy that would deny the connection. */
export function unenforcedPolicyNotes(w: Walker, ns: Namespace, pkt: Packet): Partial<Hop> {
  const s = w.net.scenario;
  // a reply of an allowed connection is conntrack's; only a new connection meets the policies
  if (w.leg !== 'request' || (s.cluster.networkPolicy ?? 'none') !== 'none') return {};
  if (!s.networkPolicies?.length || ns.kind !== 'pod') return {};
  const pod = w.net.pod(ns.name);
  const traffic = trafficOf(pkt);
  if (!pod || !traffic) return {};
  const denials = unenforcedDenials(
    clusterPoliciesOf(s),
    outerIp(pkt).src,
    `${podNamespace(pod)}/${pod.name}`,
    traffic,
  );
  // kubenet is the CNI of the gateway datapath (a cloud route table); flannel of the others
  const cni = s.cluster.datapath === 'gateway' ? 'kubenet' : 'flannel';
  return denials.length ? { notes: denials.map((d) => unenforcedText(d, cni)) } : {};
}
