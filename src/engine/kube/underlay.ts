/**
 * The underlay, inferred from the nodes' addresses: neither a Node nor any other object says
 * which subnet a node sits on or where its gateway is. One subnet per address block, the
 * block's first free address as its gateway, one router joining the subnets.
 */
import {
  ipFromBits,
  nthAddress,
  parsePrefix,
  prefixContains,
  prefixCovers,
  prefixFromBits,
  prefixSize,
  type Prefix,
} from '../addr/ip';
import type { DocRouter, DocSubnet } from './document';
import { count, sample } from './fields';
import type { NodeFacts } from './nodes';

/** the block assumed when nothing gives a node's subnet mask (a typical cloud or lab subnet) */
const ASSUMED_SUBNET_LEN = 24;
export const UNDERLAY_ROUTER = 'rtr';

/**
 * Calico's node annotation carries the address with its mask, as calico-node autodetected
 * it on the interface (https://docs.tigera.io/calico/latest/networking/ipam/ip-autodetection).
 */
const CALICO_ADDRESS = 'projectcalico.org/IPv4Address';

export interface Underlay {
  readonly subnets: readonly DocSubnet[];
  readonly routers: readonly DocRouter[];
  readonly subnetOf: ReadonlyMap<string, string>;
}

const subnetName = (p: Prefix): string =>
  `subnet-${ipFromBits(p.family, p.bits).text.split('.').join('-')}${p.len === ASSUMED_SUBNET_LEN ? '' : `-${p.len}`}`;

function blockOf(node: NodeFacts): { block: Prefix; fromCalico: boolean } {
  const annotated = node.annotations[CALICO_ADDRESS];
  if (annotated !== undefined) {
    const p = parsePrefix(annotated, false);
    if (p.ok && p.value.len >= 8 && prefixContains(p.value, node.ip))
      return { block: p.value, fromCalico: true };
  }
  return { block: prefixFromBits(4, node.ip.bits, ASSUMED_SUBNET_LEN), fromCalico: false };
}

export function inferUnderlay(
  nodes: readonly NodeFacts[],
  wantRouter: boolean,
  notes: string[],
): Underlay {
  const blocks = new Map<string, Prefix>();
  const nodeBlock = new Map<string, Prefix>();
  let fromCalico = 0;
  for (const n of nodes) {
    const b = blockOf(n);
    if (b.fromCalico) fromCalico++;
    blocks.set(b.block.text, b.block);
    nodeBlock.set(n.name, b.block);
  }
  // a wider block (from a Calico mask) swallows the /24s it covers
  const kept: Prefix[] = [];
  for (const b of [...blocks.values()].sort((a, c) => a.len - c.len)) {
    if (!kept.some((k) => prefixCovers(k, b))) kept.push(b);
  }
  kept.sort((a, b) => (a.bits < b.bits ? -1 : a.bits > b.bits ? 1 : a.len - b.len));
  const keptOf = (b: Prefix): Prefix => kept.find((k) => prefixCovers(k, b)) ?? b;

  const nodeIps = new Map<string, Set<bigint>>();
  const subnetOf = new Map<string, string>();
  for (const n of nodes) {
    const k = keptOf(nodeBlock.get(n.name)!);
    subnetOf.set(n.name, subnetName(k));
    let ips = nodeIps.get(k.text);
    if (!ips) nodeIps.set(k.text, (ips = new Set()));
    ips.add(n.ip.bits);
  }
  const movedGateways: string[] = [];
  const subnets: DocSubnet[] = kept.map((p) => {
    const taken = nodeIps.get(p.text) ?? new Set<bigint>();
    let n = 1n;
    // the first address no node holds, short of the broadcast address
    while (n < prefixSize(p) - 2n && taken.has(p.bits + n)) n++;
    const gateway = nthAddress(p, n);
    if (n !== 1n) movedGateways.push(`${gateway.text} in ${p.text}`);
    return { name: subnetName(p), cidr: p.text, gateway: gateway.text, srcDstCheck: false };
  });
  const routers: DocRouter[] =
    subnets.length > 1 || wantRouter
      ? [{ name: UNDERLAY_ROUTER, subnets: subnets.map((s) => s.name) }]
      : [];

  const how =
    fromCalico === nodes.length
      ? 'masks from projectcalico.org/IPv4Address'
      : fromCalico > 0
        ? `masks from projectcalico.org/IPv4Address on ${count(fromCalico, 'node')}, /${ASSUMED_SUBNET_LEN} assumed for the rest`
        : `/${ASSUMED_SUBNET_LEN} blocks assumed: the subnet mask is not in the objects`;
  notes.push(
    `underlay inferred from the nodes' InternalIPs: ${count(subnets.length, 'subnet')} (${sample(subnets.map((s) => s.cidr))}; ${how}), gateway at the first address no node holds${routers.length > 0 ? `, router ${UNDERLAY_ROUTER} joining ${subnets.length > 1 ? 'them' : 'it'}` : ''}; the cloud source/destination check is not in the objects (off)`,
  );
  if (movedGateways.length > 0)
    notes.push(`a node holds .1, so the gateway moved: ${sample(movedGateways)}`);
  return { subnets, routers, subnetOf };
}
