import type { Device, Namespace, Network } from '../../engine/index';

/**
 * What a node's card draws of the devices and routes the CNI installed on it, read
 * from the built namespace: a bridge its pods' veths are ports of (flannel's cni0), or
 * veths with no master that the node routes to one by one (Calico's cali…); a tunnel
 * device by its kind (flannel.1 and vxlan.calico are VXLAN, tunl0 IPIP); and the
 * blackhole routes that mark the blocks the node holds (Calico routes its blocks, not
 * the podCIDR). Nothing here knows which CNI runs: a table that changes, changes this.
 */
export type DeviceLabel = { readonly name: string; readonly addr?: string };

export type TunnelLabel = DeviceLabel &
  (
    | { readonly kind: 'vxlan'; readonly vni: number; readonly port: number }
    | { readonly kind: 'ipip'; readonly ttl: 'inherit' | number }
  );
export type TunnelKind = TunnelLabel['kind'];

/** The node's own routing to pods on routed veths: one `/32 dev cali…` each, no bridge. */
export type RoutedLabel = {
  /** the per-pod routes (`172.17.1.2 dev calica87c8a6361 scope link`) */
  readonly podRoutes: number;
  /** the veths answer ARP for the pods' gateway (proxy_arp, as Felix sets it) */
  readonly proxyArp: boolean;
};

export type HostDevices = {
  /** eth0's address as installed (`10.100.0.2/24`) */
  readonly eth0?: string;
  readonly bridge?: DeviceLabel;
  readonly tunnel?: TunnelLabel;
  readonly routed?: RoutedLabel;
  /** `blackhole <prefix>` destinations, in table order */
  readonly blocks: readonly string[];
};

export const addrText = (d: Device | undefined): string | undefined => {
  const a = d?.addresses[0];
  return a ? `${a.ip.text}/${a.len}` : undefined;
};

function tunnelLabel(d: Device | undefined): TunnelLabel | undefined {
  if (!d) return undefined;
  const base = { name: d.name, addr: addrText(d) };
  switch (d.kind) {
    case 'vxlan':
      return { ...base, kind: 'vxlan', vni: d.vxlan.vni, port: d.vxlan.dstport };
    case 'ipip':
      return { ...base, kind: 'ipip', ttl: d.ipip.ttl };
    case 'loopback':
    case 'ethernet':
    case 'veth':
    case 'bridge':
      return undefined;
  }
}

function routedLabel(ns: Namespace, blocks: readonly string[]): RoutedLabel | undefined {
  // a veth with no master is not a bridge port: the node routes to it (a node with no pod
  // yet shows the same routing by its blackhole)
  const routed = ns.devices.filter((d) => d.kind === 'veth' && !d.master && d.peer);
  if (routed.length === 0 && blocks.length === 0) return undefined;
  const names = new Set(routed.map((d) => d.name));
  return {
    podRoutes: ns.routes.filter((r) => names.has(r.dev) && r.dst.len === 32).length,
    proxyArp: routed.some((d) => d.sysctls?.proxyArp),
  };
}

export function hostDevices(
  net: Network | undefined,
  node: string,
): HostDevices & {
  readonly ns?: Namespace;
} {
  const ns = net?.namespace(node);
  if (!ns) return { blocks: [] };
  const bridge = ns.devices.find((d) => d.kind === 'bridge');
  const blocks = ns.routes.filter((r) => r.type === 'blackhole').map((r) => r.dst.text);
  const tunnel = tunnelLabel(ns.devices.find((d) => d.kind === 'vxlan' || d.kind === 'ipip'));
  const routed = bridge ? undefined : routedLabel(ns, blocks);
  const eth0 = addrText(ns.devices.find((d) => d.name === 'eth0'));
  return {
    ns,
    blocks,
    eth0,
    bridge: bridge ? { name: bridge.name, addr: addrText(bridge) } : undefined,
    tunnel,
    routed,
  };
}
