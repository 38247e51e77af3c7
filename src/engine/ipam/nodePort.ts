import type { Scenario, Service } from '../scenario/types';
import { serviceRef } from '../scenario/ids';

/**
 * The API server's node-port allocator (pkg/registry/core/service/portallocator):
 * --service-node-port-range 30000-32767, split since Kubernetes 1.27 into a static band
 * (the lowest min(max(16, size/32), 128) ports, kept for ports people pin) and a dynamic
 * band the allocator takes from. It picks a random free port there; podhop starts at a
 * hash of the Service port's name instead, so the same edit gives the same port.
 */
export const NODE_PORT_RANGE = { first: 30000, last: 32767 } as const;
const SIZE = NODE_PORT_RANGE.last - NODE_PORT_RANGE.first + 1;
const STATIC_BAND = Math.min(Math.max(16, Math.floor(SIZE / 32)), 128);

export function usedNodePorts(s: Scenario): Set<number> {
  const used = new Set<number>();
  for (const v of s.services) {
    for (const p of v.ports) if (p.nodePort) used.add(p.nodePort);
    if (v.healthCheckNodePort) used.add(v.healthCheckNodePort);
  }
  return used;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** A free node port for `key` (`ns/name:port`), or undefined when every port is taken. */
export function allocateNodePort(used: ReadonlySet<number>, key: string): number | undefined {
  const first = NODE_PORT_RANGE.first + STATIC_BAND;
  const dynamic = NODE_PORT_RANGE.last - first + 1;
  const start = hash(key) % dynamic;
  for (let i = 0; i < dynamic; i++) {
    const port = first + ((start + i) % dynamic);
    if (!used.has(port)) return port;
  }
  // the dynamic band is full: the allocator falls back to the static band
  for (let port = NODE_PORT_RANGE.first; port < first; port++) if (!used.has(port)) return port;
  return undefined;
}

/**
 * A Service whose type changed, as the API server stores it: NodePort and LoadBalancer
 * ports get a node port each; back to ClusterIP they lose them, and the external traffic
 * policy with them (it "may only be set for externally-accessible services").
 */
export function withNodePorts(s: Scenario, svc: Service): Service {
  const nodePorts = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
  if (!nodePorts) {
    const { externalTrafficPolicy, healthCheckNodePort: _hc, ...rest } = svc;
    // an externalIP keeps a ClusterIP Service externally accessible, and its policy with it
    const keepPolicy = (svc.externalIPs?.length ?? 0) > 0 && externalTrafficPolicy;
    return {
      ...rest,
      ...(keepPolicy ? { externalTrafficPolicy } : {}),
      ports: svc.ports.map(({ nodePort: _np, ...p }) => p),
    };
  }
  const used = usedNodePorts({ ...s, services: s.services.filter((v) => v !== svc) });
  const ports = svc.ports.map((p) => {
    if (p.nodePort) return p;
    const port = allocateNodePort(used, `${serviceRef(svc)}:${p.name ?? p.port}`);
    if (port === undefined) return p;
    used.add(port);
    return { ...p, nodePort: port };
  });
  return { ...svc, ports };
}

/**
 * What the API server says of a node port typed for a Service port (its validation and
 * allocator, pkg/registry/core/service): out of --service-node-port-range, or held by
 * another Service. Undefined when the port can be had.
 */
export function nodePortRefusal(
  s: Scenario,
  svc: Service,
  index: number,
  port: number,
): string | undefined {
  const field = `spec.ports[${index}].nodePort`;
  if (!Number.isInteger(port) || port < NODE_PORT_RANGE.first || port > NODE_PORT_RANGE.last)
    return `${field}: Invalid value: ${port}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.first}-${NODE_PORT_RANGE.last}`;
  const others = usedNodePorts({ ...s, services: s.services.filter((v) => v !== svc) });
  svc.ports.forEach((p, i) => {
    if (i !== index && p.nodePort) others.add(p.nodePort);
  });
  if (others.has(port))
    return `${field}: Invalid value: ${port}: provided port is already allocated`;
  return undefined;
}
