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
  numAt,
  objAt,
  objsAt,
  sample,
  strAt,
  stringMapAt,
  type Obj,
} from './fields';
import type { DocEndpointSlice } from './document';

/** the label the EndpointSlice controller sets to the owning Service's name */
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The slices of Services without a selector are kept as they are written (a hand-made
 * EndpointSlice, or the API server's for `kubernetes`): nothing else says where those go.
 */
export function keptEndpointSlices(
  objects: readonly Obj[],
  selectorless: ReadonlySet<string>,
): DocEndpointSlice[] {
  const out: DocEndpointSlice[] = [];
  for (const slice of objects) {
    if (strAt(slice, 'addressType') !== undefined && strAt(slice, 'addressType') !== 'IPv4')
      continue;
    const meta = objAt(slice, 'metadata');
    const service = stringMapAt(meta, 'labels')[SERVICE_NAME_LABEL];
    const namespace = namespaceOf(slice);
    if (!service || !selectorless.has(`${namespace}/${service}`)) continue;
    const endpoints = objsAt(slice, 'endpoints').flatMap((ep) => {
      const addresses = listAt(ep, 'addresses').filter((a): a is string => typeof a === 'string');
      if (addresses.length === 0) return [];
      const c = objAt(ep, 'conditions');
      const nodeName = strAt(ep, 'nodeName');
      // the API: ready unset means ready; serving unset follows ready; terminating unset is false
      const ready = c?.['ready'] !== false;
      return [
        {
          addresses,
          ...(nodeName ? { nodeName } : {}),
          ready,
          ...(typeof c?.['serving'] === 'boolean' ? { serving: c['serving'] } : {}),
          terminating: c?.['terminating'] === true,
        },
      ];
    });
    const ports = objsAt(slice, 'ports').flatMap((p) => {
      const port = numAt(p, 'port');
      const protocol = strAt(p, 'protocol') ?? 'TCP';
      const name = strAt(p, 'name');
      if (port === undefined || (protocol !== 'TCP' && protocol !== 'UDP')) return [];
      return [{ ...(name ? { name } : {}), port, protocol: protocol as 'TCP' | 'UDP' }];
    });
    out.push({
      name: strAt(meta, 'name') ?? service,
      ...(namespace !== 'default' ? { namespace } : {}),
      service,
      endpoints,
      ports,
    });
  }
  return out;
}

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
