import { parseObjectKey, serviceRef } from '../scenario/ids';
import type { InterfaceAddress, Network } from './types';

/**
 * The address a pod's sandbox holds: the first on its `eth0` (the CNI puts
 * exactly one there). Undefined when the pod has no sandbox (Pending, refused,
 * no IP left).
 */
export function podAddress(net: Network | undefined, pod: string): InterfaceAddress | undefined {
  const ns = net?.namespace(pod);
  if (ns?.kind !== 'pod') return undefined;
  return ns.devices.find((d) => d.name === 'eth0')?.addresses[0];
}

/**
 * The address of a destination picked by name: a pod's eth0, a node's IP, or
 * `service/<namespace/name>`'s ClusterIP, as they are in this network.
 */
export function destinationAddress(net: Network, to: string): string | undefined {
  const key = parseObjectKey(to);
  if (key?.kind === 'service')
    return net.scenario.services.find((v) => serviceRef(v) === key.ref)?.clusterIP;
  return podAddress(net, to)?.ip.text ?? net.scenario.nodes.find((n) => n.name === to)?.ip;
}
