import type { Hop, Network, Packet } from '../../engine/index';
import { edgeId, flowId } from './layout';

type Ends = {
  readonly src?: string;
  readonly dst?: string;
  readonly sport?: number;
  readonly dport?: number;
};

/** The pod's own packet (the innermost IPv4 header) and its ports: what kube-proxy rewrites. */
function ends(p: Packet | undefined): Ends {
  if (!p) return {};
  let at = -1;
  p.forEach((l, i) => {
    if (l.kind === 'ipv4') at = i;
  });
  const ip = p[at];
  if (!ip || ip.kind !== 'ipv4') return {};
  const l4 = p[at + 1];
  const ports = l4 && (l4.kind === 'tcp' || l4.kind === 'udp') ? l4 : undefined;
  return { src: ip.src.text, dst: ip.dst.text, sport: ports?.sport, dport: ports?.dport };
}

/**
 * What a DNAT or un-NAT hop touches beyond its namespace: the Service whose
 * ClusterIP:port was rewritten, and the edge to the endpoint it was rewritten
 * to (DNAT: the new destination; un-NAT: the source the reply came from).
 * Read from the headers before and after the hop and the engine's servicePorts.
 */
export function serviceTouched(net: Network, hops: readonly Hop[], index: number): string[] {
  const hop = hops[index];
  if (!hop || (hop.action !== 'dnat' && hop.action !== 'undnat')) return [];
  const before = ends(hops[index - 1]?.headers);
  const after = ends(hop.headers);
  const dnat = hop.action === 'dnat';
  const vip = dnat ? { ip: before.dst, port: before.dport } : { ip: after.src, port: after.sport };
  const ep = dnat ? { ip: after.dst, port: after.dport } : { ip: before.src, port: before.sport };
  const isEp = (e: { ip: { text: string }; port: number }) =>
    e.ip.text === ep.ip && (ep.port === undefined || e.port === ep.port);
  const sp =
    net.servicePorts.find(
      (p) =>
        p.clusterIP.text === vip.ip &&
        (vip.port === undefined || p.port.port === vip.port) &&
        p.endpoints.some(isEp),
    ) ?? net.servicePorts.find((p) => p.endpoints.some(isEp));
  if (!sp) return [];
  const chosen = sp.endpoints.find(isEp);
  return [
    flowId.service(sp.service.name),
    ...(chosen?.pod ? [edgeId.service(sp.service.name, chosen.pod)] : []),
  ];
}
