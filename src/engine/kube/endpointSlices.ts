/**
 * EndpointSlices (discovery.k8s.io/v1) are read for what they tell a user and not kept:
 * podhop derives a Service's endpoints from its selector and the pods, as the EndpointSlice
 * controller does. `conditions.ready` false means the endpoint controller would not send
 * traffic there (https://kubernetes.io/docs/reference/kubernetes-api/service-resources/endpoint-slice-v1/).
 */
import {
  count,
  listAt,
  namespaceOf,
  objAt,
  objsAt,
  sample,
  strAt,
  stringMapAt,
  type Obj,
} from './fields';

/** the label the EndpointSlice controller sets to the owning Service's name */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export function readEndpointSlices(objects: readonly Obj[], notes: string[]): void {
  const notReady: string[] = [];
  let endpoints = 0;
  for (const slice of objects) {
    const service =
      stringMapAt(objAt(slice, 'metadata'), 'labels')[SERVICE_NAME_LABEL] ??
      strAt(objAt(slice, 'metadata'), 'name') ??
      '?';
    for (const ep of objsAt(slice, 'endpoints')) {
      endpoints++;
      if (objAt(ep, 'conditions')?.['ready'] === false) {
        const address = listAt(ep, 'addresses').find((a) => typeof a === 'string') ?? '?';
        const pod = strAt(objAt(ep, 'targetRef'), 'name');
        notReady.push(
          `${namespaceOf(slice)}/${service}: ${String(address)}${pod ? ` (${pod})` : ''}`,
        );
      }
    }
  }
  if (notReady.length > 0)
    notes.push(
      `${count(notReady.length, 'endpoint')} of ${endpoints.toLocaleString('en-US')} in the EndpointSlices not ready (${sample(notReady)}): podhop sends to every pod a Service selects`,
    );
}
