import { useState } from 'react';
import { nodePortRefusal, SERVICE_TYPES, serviceRef, type Edit } from '../../../engine/index';
import { Field, Problems, ifNumber, labelsText, parseLabels, Labels } from './fields';
import type { ViewProps } from './views';

/** A Service: its selector, ports, ClusterIP and the endpoints kube-proxy programs. */
export function ServiceView({ s, net, name, apply, problems }: ViewProps) {
  const [refused, setRefused] = useState<{ index: number; text: string }>();
  const svc = s.services.find((v) => serviceRef(v) === name);
  if (!svc) return null;
  const set = (patch: Extract<Edit, { kind: 'updateService' }>['patch']) =>
    apply({ kind: 'updateService', name, patch });
  const external = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
  const ports = net?.servicePorts.filter((p) => serviceRef(p.service) === name) ?? [];
  const setPort = (i: number, patch: Partial<(typeof svc.ports)[number]>) =>
    set({ ports: svc.ports.map((sp, j) => (j === i ? { ...sp, ...patch } : sp)) });
  return (
    <>
      <Problems problems={problems} />
      <p className="svc-ip">
        ClusterIP <code data-testid="service-clusterip">{svc.clusterIP ?? '<pending>'}</code> — on
        no device: only kube-proxy’s rules know it.
      </p>
      <label className="field">
        <span className="field-label">type</span>
        <select
          data-testid="edit-svc-type"
          value={svc.type ?? 'ClusterIP'}
          title="NodePort and LoadBalancer get a node port on every node (the API server allocates it from 30000–32767)"
          onChange={(e) => set({ type: e.target.value as NonNullable<typeof svc.type> })}
        >
          {SERVICE_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      {external && (
        <label className="field">
          <span className="field-label">externalTrafficPolicy</span>
          <select
            data-testid="edit-svc-etp"
            value={svc.externalTrafficPolicy ?? 'Cluster'}
            title="Cluster: any endpoint, the client masqueraded. Local: only this node's endpoints, the client's address kept; a node without one drops the traffic"
            onChange={(e) =>
              set({
                externalTrafficPolicy: e.target.value as NonNullable<
                  typeof svc.externalTrafficPolicy
                >,
              })
            }
          >
            <option value="Cluster">Cluster</option>
            <option value="Local">Local</option>
          </select>
        </label>
      )}
      <Labels
        label="Selector (key=value, one a line)"
        testId="edit-selector"
        value={labelsText(svc.selector)}
        onCommit={(t) => set({ selector: parseLabels(t) })}
      />
      {svc.ports.map((sp, i) => (
        <div key={i}>
          <div className="field-row">
            <Field
              label={`port${sp.name ? ` ${sp.name}` : ''} (${sp.protocol})`}
              numeric
              testId={`edit-svc-port-${i}`}
              value={String(sp.port)}
              onCommit={(v) => ifNumber(v, (n) => setPort(i, { port: n }))}
            />
            <Field
              label="targetPort"
              numeric
              testId={`edit-svc-target-${i}`}
              value={String(sp.targetPort)}
              onCommit={(v) => ifNumber(v, (n) => setPort(i, { targetPort: n }))}
            />
            {external && (
              <Field
                label="nodePort"
                numeric
                testId={`edit-svc-nodeport-${i}`}
                value={sp.nodePort !== undefined ? String(sp.nodePort) : ''}
                onCommit={(v) =>
                  ifNumber(v, (n) => {
                    // the API server refuses the update: the Service keeps the port it has
                    const text = nodePortRefusal(s, svc, i, n);
                    setRefused(text ? { index: i, text } : undefined);
                    if (!text) setPort(i, { nodePort: n });
                  })
                }
              />
            )}
          </div>
          {refused?.index === i && (
            <p className="field-error" role="alert" data-testid="svc-nodeport-error">
              {refused.text}
            </p>
          )}
        </div>
      ))}
      {ports.map((p) => (
        <div key={p.portName} className="svc-port">
          <h4>
            {p.portName} · {p.port.port}/{p.protocol.toUpperCase()} → {p.port.targetPort}
          </h4>
          {p.endpoints.length === 0 ? (
            <p className="svc-empty" data-testid="service-endpoints">
              no endpoints: kube-proxy REJECTs with icmp-port-unreachable
            </p>
          ) : (
            <ul className="svc-endpoints" data-testid="service-endpoints">
              {p.endpoints.map((e) => (
                <li key={`${e.ip.text}:${e.port}`}>
                  <code>
                    {e.ip.text}:{e.port}
                  </code>{' '}
                  {e.pod}
                  {e.node ? ` on ${e.node}` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </>
  );
}
