import { podNamespace, podRef } from '../scenario/ids';
import { parseIp, type IpAddr } from '../addr/ip';
import type { PodStatus } from '../ipam/allocate';
import type { Pod, Scenario, Service, ServicePort } from '../scenario/types';

export interface Endpoint {
  readonly pod: string;
  readonly ip: IpAddr;
  readonly port: number;
}

export interface ServicePortInfo {
  readonly service: Service;
  readonly port: ServicePort;
  readonly clusterIP: IpAddr;
  readonly protocol: 'tcp' | 'udp';
  /** `default/web:http`, or `default/web` for an unnamed port (proxy.ServicePortName.String) */
  readonly portName: string;
  /** ready endpoints, sorted as kube-proxy sorts them ("IP:port" as text) */
  readonly endpoints: readonly Endpoint[];
}

const selects = (selector: Readonly<Record<string, string>>, pod: Pod) => {
  const keys = Object.keys(selector);
  // a Service with an empty selector manages no endpoints (they are set by hand)
  return keys.length > 0 && keys.every((k) => pod.labels?.[k] === selector[k]);
};

/**
 * The EndpointSlice controller's view: a Service's endpoints are the ready pods
 * its selector matches, at the targetPort. Not-ready pods (not Running, or a
 * container crash-looping) are left out.
 */
export function servicePorts(
  s: Scenario,
  podIp: ReadonlyMap<string, IpAddr>,
  status: ReadonlyMap<string, PodStatus>,
): ServicePortInfo[] {
  const out: ServicePortInfo[] = [];
  for (const svc of s.services) {
    if (svc.clusterIP === undefined) continue;
    const cip = parseIp(svc.clusterIP);
    if (!cip.ok) continue;
    const ns = svc.namespace ?? 'default';
    for (const port of svc.ports) {
      const endpoints = s.pods
        // a Service selects pods in its own namespace only; one without a selector (an empty
        // map is stored as none) gets no endpoints from the EndpointSlice controller, which
        // skips `service.Spec.Selector == nil` (pkg/controller/endpointslice/endpointslice_controller.go)
        .filter(
          (p) =>
            podNamespace(p) === ns &&
            Object.keys(svc.selector).length > 0 &&
            selects(svc.selector, p),
        )
        .flatMap((p) => {
          const ref = podRef(p);
          const ip = podIp.get(ref);
          const st = status.get(ref);
          return ip && st?.phase === 'Running' && st.ready
            ? [{ pod: ref, ip, port: port.targetPort }]
            : [];
        })
        .sort((a, b) => (`${a.ip.text}:${a.port}` < `${b.ip.text}:${b.port}` ? -1 : 1));
      out.push({
        service: svc,
        port,
        clusterIP: cip.value,
        protocol: (port.protocol ?? 'TCP') === 'UDP' ? 'udp' : 'tcp',
        portName: port.name ? `${ns}/${svc.name}:${port.name}` : `${ns}/${svc.name}`,
        endpoints,
      });
    }
  }
  return out;
}
