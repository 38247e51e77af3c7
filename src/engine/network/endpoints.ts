import { podNamespace, podRef } from '../scenario/ids';
import { parseIp, type IpAddr } from '../addr/ip';
import type { PodStatus } from '../ipam/allocate';
import type { Pod, Scenario, Service, ServicePort } from '../scenario/types';

export interface Endpoint {
  /** the pod behind it (`ns/name`); none for an address a hand-written EndpointSlice gave */
  readonly pod?: string;
  readonly ip: IpAddr;
  readonly port: number;
  /** the node the endpoint runs on (EndpointSlice endpoints[].nodeName): kube-proxy's "local" */
  readonly node?: string;
  /** EndpointSlice conditions; a pod's come from its status (ready ⇒ serving, not terminating) */
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

export interface ServicePortInfo {
  readonly service: Service;
  readonly port: ServicePort;
  readonly clusterIP: IpAddr;
  readonly protocol: 'tcp' | 'udp';
  /** `default/web:http`, or `default/web` for an unnamed port (proxy.ServicePortName.String) */
  readonly portName: string;
  /**
   * ready endpoints, sorted as kube-proxy sorts them ("IP:port" as text): where
   * ClusterIP traffic goes
   */
  readonly endpoints: readonly Endpoint[];
  /** every endpoint the slices list, ready or not, in the same order: kube-proxy's input */
  readonly allEndpoints: readonly Endpoint[];
}

const byEndpoint = (a: Endpoint, b: Endpoint) =>
  `${a.ip.text}:${a.port}` < `${b.ip.text}:${b.port}` ? -1 : 1;

/** A Service without a selector: its endpoints are the hand-written slices' (discovery.k8s.io/v1). */
function sliceEndpoints(s: Scenario, svc: Service, port: ServicePort): Endpoint[] {
  const ns = svc.namespace ?? 'default';
  const out: Endpoint[] = [];
  for (const slice of s.endpointSlices ?? []) {
    if ((slice.namespace ?? 'default') !== ns || slice.service !== svc.name) continue;
    // kube-proxy pairs a slice port with the Service port of the same name (and protocol)
    const sp = slice.ports.find(
      (p) => (p.name ?? '') === (port.name ?? '') && p.protocol === (port.protocol ?? 'TCP'),
    );
    if (!sp) continue;
    for (const ep of slice.endpoints) {
      const ip = parseIp(ep.addresses[0] ?? '');
      if (!ip.ok) continue;
      out.push({
        ip: ip.value,
        port: sp.port,
        ...(ep.nodeName ? { node: ep.nodeName } : {}),
        ready: ep.ready,
        // the API: serving unset means the same as ready
        serving: ep.serving ?? ep.ready,
        terminating: ep.terminating,
      });
    }
  }
  return out.sort(byEndpoint);
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
      const selected = Object.keys(svc.selector).length > 0;
      const allEndpoints = selected
        ? s.pods
            // a Service selects pods in its own namespace only; one without a selector (an empty
            // map is stored as none) gets no endpoints from the EndpointSlice controller, which
            // skips `service.Spec.Selector == nil` (pkg/controller/endpointslice/endpointslice_controller.go)
            .filter((p) => podNamespace(p) === ns && selects(svc.selector, p))
            .flatMap((p): Endpoint[] => {
              const ref = podRef(p);
              const ip = podIp.get(ref);
              const st = status.get(ref);
              if (!ip || st?.phase !== 'Running') return [];
              return [
                {
                  pod: ref,
                  ip,
                  port: port.targetPort,
                  node: p.node,
                  ready: st.ready,
                  serving: st.ready,
                  terminating: false,
                },
              ];
            })
            .sort(byEndpoint)
        : sliceEndpoints(s, svc, port);
      out.push({
        service: svc,
        port,
        clusterIP: cip.value,
        protocol: (port.protocol ?? 'TCP') === 'UDP' ? 'udp' : 'tcp',
        portName: port.name ? `${ns}/${svc.name}:${port.name}` : `${ns}/${svc.name}`,
        endpoints: allEndpoints.filter((e) => e.ready),
        allEndpoints,
      });
    }
  }
  return out;
}
