import {
  printPodsWide,
  printServices,
  type ClusterEvent,
  type Network,
  type Problem,
  type Scenario,
} from '../../../engine/index';
import { KubectlTable } from '../TableView';
import { PolicyList } from '../policy/PolicyList';
import { Field, Problems, ifNumber, type Apply } from './fields';

// ---- nothing selected: the cluster ----

/** A side panel holding thousands of table cells makes the canvas pan slowly: the first rows only. */
const POD_ROWS = 30;
const firstRows = (text: string, n: number) =>
  text
    .split('\n')
    .slice(0, n + 1)
    .join('\n');

export function ClusterView({
  s,
  net,
  apply,
  problems,
  events,
}: {
  s: Scenario;
  net: Network | undefined;
  apply: Apply;
  problems: readonly Problem[];
  events: readonly ClusterEvent[];
}) {
  const c = s.cluster;
  const set = (patch: Partial<Scenario['cluster']>) => apply({ kind: 'setCluster', patch });
  return (
    <>
      <h3 className="insp-title">Cluster</h3>
      <p className="muted hint">
        Select a subnet, router, node or pod on the canvas to edit it and see its tables.
      </p>
      <Problems problems={problems} named />
      <Field
        label="Cluster CIDR (--cluster-cidr)"
        value={c.clusterCidr}
        testId="edit-clusterCidr"
        onCommit={(clusterCidr) => set({ clusterCidr })}
      />
      <div className="field-row">
        <Field
          label="Node mask size"
          value={String(c.nodeCidrMaskSize)}
          numeric
          testId="edit-nodeCidrMaskSize"
          onCommit={(v) => ifNumber(v, (n) => set({ nodeCidrMaskSize: n }))}
        />
        <Field
          label="maxPods"
          value={String(c.maxPods)}
          numeric
          testId="edit-maxPods"
          onCommit={(v) => ifNumber(v, (n) => set({ maxPods: n }))}
        />
      </div>
      <Field
        label="Service CIDR"
        value={c.serviceCidr}
        testId="edit-serviceCidr"
        onCommit={(serviceCidr) => set({ serviceCidr })}
      />
      {net && (
        <KubectlTable
          title={
            s.pods.some((p) => p.namespace)
              ? 'kubectl get pods -A -o wide'
              : 'kubectl get pods -o wide'
          }
          text={firstRows(
            // pods outside default (an imported cluster): kubectl get pods -A -o wide
            printPodsWide(net, s.pods.some((p) => p.namespace) ? 'all' : { namespace: 'default' }),
            POD_ROWS,
          )}
          testId="table-pods"
        />
      )}
      {net && s.pods.length > POD_ROWS && (
        <p className="muted hint">
          … and {s.pods.length - POD_ROWS} more pods: a node&apos;s terminal lists them all (
          <code>kubectl get pods -o wide</code>).
        </p>
      )}
      <label className="check">
        <input
          type="checkbox"
          data-testid="bridge-nf-toggle"
          checked={c.bridgeNfCallIptables !== false}
          onChange={(e) => set({ bridgeNfCallIptables: e.target.checked })}
        />{' '}
        <code>net.bridge.bridge-nf-call-iptables = 1</code> on every node (bridged frames pass
        iptables and conntrack)
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="hairpin-toggle"
          checked={c.bridgeHairpinMode !== false}
          onChange={(e) => set({ bridgeHairpinMode: e.target.checked })}
        />{' '}
        <code>hairpinMode</code> on each pod&apos;s port of cni0 (a pod its own Service picks gets
        its packet back)
      </label>
      {net && <KubectlTable title="kubectl get svc" text={printServices(net)} testId="table-svc" />}
      <PolicyList />
      <h4 className="sub-title">Events</h4>
      {events.length === 0 ? (
        <p className="muted">No events.</p>
      ) : (
        <ul className="events" data-testid="events">
          {events.map((e, i) => (
            <li key={i} className={`event event-${e.type}`}>
              <span className="event-head">
                {e.type} <strong>{e.reason}</strong> <code>{e.object}</code>
              </span>
              <span className="event-msg">{e.message}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
