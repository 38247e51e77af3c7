import { serviceRef, type Edit } from '../../../engine/index';
import { Field, Problems, ifNumber, labelsText, parseLabels, Labels } from './fields';
import type { ViewProps } from './views';

/** A Service: its selector, ports, ClusterIP and the endpoints kube-proxy programs. */
export function ServiceView({ s, net, name, apply, problems }: ViewProps) {
  const svc = s.services.find((v) => serviceRef(v) === name);
  if (!svc) return null;
  const set = (patch: Extract<Edit, { kind: 'updateService' }>['patch']) =>
    apply({ kind: 'updateService', name, patch });
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
      <Labels
        label="Selector (key=value, one a line)"
        testId="edit-selector"
        value={labelsText(svc.selector)}
        onCommit={(t) => set({ selector: parseLabels(t) })}
      />
      {svc.ports.map((sp, i) => (
        <div className="field-row" key={i}>
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
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </>
  );
}
