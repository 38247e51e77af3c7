/**
 * What the policies would say about a connection a datapath lets through because nothing
 * enforces them (flannel and kubenet store NetworkPolicies and implement none): the
 * sentences the hop shows, so a learner sees the difference between what the policy says
 * and what the cluster does.
 */
import type { IpAddr } from '../addr/ip';
import { andList, connectivity, endpoint, type Traffic, type Verdict } from './evaluate';
import type { ClusterPolicies } from './index';

export type Denial = Extract<Verdict, { allowed: false }>;

/** The verdicts that would deny `src` → the pod `dstKey` (egress at the source, then ingress). */
export function unenforcedDenials(
  cp: ClusterPolicies,
  src: IpAddr,
  dstKey: string,
  traffic: Traffic,
): readonly Denial[] {
  if (cp.policies.length === 0) return [];
  const to = endpoint(cp.world, dstKey);
  const from = endpoint(cp.world, src);
  if (!to || !from) return [];
  const c = connectivity(cp.engine, from, to, traffic);
  return [c.egress, c.ingress].filter((v): v is Denial => v !== undefined && !v.allowed);
}

/** "x/deny-all would deny this (…), but flannel implements no NetworkPolicy: delivered" */
export const unenforcedText = (d: Denial, cni: string): string =>
  `${andList(d.isolatedBy)} would deny this (${d.text}), but ${cni} implements no NetworkPolicy: delivered`;
