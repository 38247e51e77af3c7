import type { ReactNode } from 'react';
import type {
  Container,
  Edit,
  Hop,
  Network,
  ObjectKind,
  Pod,
  Problem,
  Scenario,
} from '../../../engine/index';
import { DEFAULT_IMAGE, objectKey, podAddress, podColumns, podRef } from '../../../engine/index';
import { selectEvents } from '../../../store/derived';
import { useAppShallow, useAppStore } from '../../storeContext';
import { NamespaceTables } from '../TableView';
import {
  Field,
  InstallErrors,
  Labels,
  Problems,
  ifNumber,
  labelsText,
  parseLabels,
  type Apply,
} from './fields';
import { ServiceView } from './ServiceView';
import { PodPolicies } from '../policy/PodPolicies';

// ---- per kind ----

/** A shell in the namespace (kubectl exec into a pod, ssh to a node or router). */
function OpenTerminal({ name }: { name: string }) {
  const store = useAppStore();
  return (
    <button
      type="button"
      className="btn small"
      data-testid="open-terminal"
      onClick={() => store.getState().openTerminal(name)}
    >
      Open terminal
    </button>
  );
}

export interface ViewProps {
  s: Scenario;
  net: Network | undefined;
  name: string;
  apply: Apply;
  problems: readonly Problem[];
  hop: Hop | undefined;
}

function SubnetView({ s, name, apply, problems }: ViewProps) {
  const x = s.subnets.find((v) => v.name === name);
  if (!x) return null;
  const set = (patch: Extract<Edit, { kind: 'updateSubnet' }>['patch']) =>
    apply({ kind: 'updateSubnet', name, patch });
  const nodes = s.nodes.filter((n) => n.subnet === name);
  const routers = s.routers.filter((r) => r.subnets.includes(x.name));
  return (
    <>
      <Problems problems={problems} />
      <Field label="CIDR" value={x.cidr} testId="edit-cidr" onCommit={(cidr) => set({ cidr })} />
      <Field
        label="Gateway"
        value={x.gateway}
        testId="edit-gateway"
        hint="the router address nodes use as default via"
        onCommit={(gateway) => set({ gateway })}
      />
      <Field
        label="MTU"
        value={x.mtu === undefined ? '' : String(x.mtu)}
        placeholder="1500"
        numeric
        testId="edit-mtu"
        onCommit={(v) => {
          if (v === '') set({ mtu: undefined });
          else ifNumber(v, (mtu) => set({ mtu }));
        }}
      />
      <label className="check">
        <input
          type="checkbox"
          data-testid="srccheck-toggle"
          checked={x.srcDstCheck}
          onChange={(e) => set({ srcDstCheck: e.target.checked })}
        />
        <span>
          Cloud source/destination check
          <span className="field-hint">
            the fabric drops packets whose source or destination is not the node’s own address (AWS
            SourceDestCheck, GCP without canIpForward)
          </span>
        </span>
      </label>
      <p className="members">
        <span className="field-label">On this subnet</span>
        {[
          ...nodes.map((n) => `${n.name} ${n.ip}`),
          ...routers.map((r) => `${r.name} (router)`),
        ].join(', ') || '—'}
      </p>
    </>
  );
}

function RouterView({ s, net, name, apply, problems, hop }: ViewProps) {
  const r = s.routers.find((v) => v.name === name);
  if (!r) return null;
  return (
    <>
      <Problems problems={problems} />
      <OpenTerminal name={name} />
      <fieldset className="group">
        <legend className="field-label">Joins (eth0, eth1, … in this order)</legend>
        {s.subnets.map((sn) => (
          <label key={sn.name} className="check">
            <input
              type="checkbox"
              data-testid={`join-${sn.name}`}
              checked={r.subnets.includes(sn.name)}
              onChange={(e) =>
                apply({
                  kind: e.target.checked ? 'connect' : 'disconnect',
                  router: name,
                  subnet: sn.name,
                })
              }
            />
            <span>
              {sn.name} <code className="muted">{sn.cidr}</code>
            </span>
          </label>
        ))}
      </fieldset>
      <InstallErrors errors={net?.namespace(name)?.installErrors ?? []} />
      <NamespaceTables net={net} name={name} hop={hop} />
    </>
  );
}

function NodeView({ s, net, name, apply, problems, hop }: ViewProps) {
  const n = s.nodes.find((v) => v.name === name);
  if (!n) return null;
  const set = (patch: Extract<Edit, { kind: 'updateNode' }>['patch']) =>
    apply({ kind: 'updateNode', name, patch });
  return (
    <>
      <Problems problems={problems} />
      <OpenTerminal name={name} />
      <Field label="Node IP" value={n.ip} testId="edit-ip" onCommit={(ip) => set({ ip })} />
      <Field
        label="podCIDR"
        value={n.podCidr ?? ''}
        testId="edit-podcidr"
        placeholder="allocate from the cluster CIDR"
        hint={
          n.podCidrPinned
            ? 'pinned by hand; clear it to let the allocator choose'
            : 'allocated by kube-controller-manager; type one to pin it'
        }
        onCommit={(podCidr) => set({ podCidr })}
      />
      <label className="field">
        <span className="field-label">Subnet</span>
        <select
          data-testid="edit-subnet"
          value={n.subnet}
          onChange={(e) => set({ subnet: e.target.value as typeof n.subnet })}
        >
          {s.subnets.map((sn) => (
            <option key={sn.name} value={sn.name}>
              {sn.name} ({sn.cidr})
            </option>
          ))}
        </select>
      </label>
      <InstallErrors errors={net?.namespace(name)?.installErrors ?? []} />
      <NamespaceTables net={net} name={name} hop={hop} />
    </>
  );
}

const replaceAt = <T,>(list: readonly T[], i: number, v: T | undefined): T[] =>
  v === undefined ? list.filter((_, j) => j !== i) : list.map((x, j) => (j === i ? v : x));

function Containers({ pod, apply }: { pod: Pod; apply: Apply }) {
  const set = (containers: Container[]) =>
    apply({ kind: 'updatePod', name: pod.name, patch: { containers } });
  const list = pod.containers;
  const fresh = () => {
    const taken = new Set(list.map((c) => c.name));
    let i = list.length + 1;
    while (taken.has(`c${i}`)) i++;
    return { name: `c${i}`, image: DEFAULT_IMAGE };
  };
  return (
    <fieldset className="group containers">
      <legend className="field-label">Containers (they share the pod’s IP and lo)</legend>
      {list.map((c, ci) => {
        const ports = c.ports ?? [];
        const setC = (v: Container | undefined) => set(replaceAt(list, ci, v));
        const setPorts = (p: NonNullable<Container['ports']>) => setC({ ...c, ports: p });
        return (
          <div key={ci} className="container-card" data-testid={`container-${ci}`}>
            <div className="field-row">
              <Field label="Name" value={c.name} onCommit={(name) => setC({ ...c, name })} />
              <Field label="Image" value={c.image} onCommit={(image) => setC({ ...c, image })} />
            </div>
            {ports.map((p, pi) => (
              <div key={pi} className="port-row">
                <Field
                  label="Port"
                  numeric
                  value={String(p.containerPort)}
                  testId={`port-${ci}-${pi}`}
                  onCommit={(v) =>
                    ifNumber(v, (n) => setPorts(replaceAt(ports, pi, { ...p, containerPort: n })))
                  }
                />
                <label className="field">
                  <span className="field-label">Protocol</span>
                  <select
                    value={p.protocol ?? 'TCP'}
                    onChange={(e) =>
                      setPorts(
                        replaceAt(ports, pi, { ...p, protocol: e.target.value as 'TCP' | 'UDP' }),
                      )
                    }
                  >
                    <option>TCP</option>
                    <option>UDP</option>
                  </select>
                </label>
                <button
                  type="button"
                  className="btn icon ghost"
                  aria-label={`Remove port ${p.containerPort}`}
                  onClick={() => setPorts(replaceAt(ports, pi, undefined))}
                >
                  ×
                </button>
              </div>
            ))}
            <div className="row-actions">
              <button
                type="button"
                className="btn small"
                onClick={() => {
                  // containers share the pod's network namespace: a port taken by any of them is taken
                  const used = new Set(
                    list.flatMap((x) => (x.ports ?? []).map((p) => p.containerPort)),
                  );
                  let port = 8080;
                  while (used.has(port)) port++;
                  setPorts([...ports, { containerPort: port, protocol: 'TCP' }]);
                }}
              >
                + port
              </button>
              <button
                type="button"
                className="btn small danger"
                disabled={list.length <= 1}
                onClick={() => setC(undefined)}
              >
                Remove container
              </button>
            </div>
          </div>
        );
      })}
      <button
        type="button"
        className="btn small"
        data-testid="add-container"
        onClick={() => set([...list, fresh()])}
      >
        + container
      </button>
    </fieldset>
  );
}

/**
 * Which Linux namespaces the pod's containers share: the pause container
 * creates net, ipc and uts and every app container joins them; each keeps its
 * own pid namespace unless the pod sets shareProcessNamespace.
 */
function PodNamespaces({ pod, apply }: { pod: Pod; apply: Apply }) {
  const sharedPid = pod.shareProcessNamespace === true;
  const rows = [
    { name: 'pause', note: 'holds the namespaces' },
    ...pod.containers.map((c) => ({ name: c.name, note: c.image })),
  ];
  return (
    <div className="pod-ns" data-testid="pod-namespaces">
      <h4 className="sub-title">Namespaces</h4>
      <table>
        <thead>
          <tr>
            <th scope="col">container</th>
            <th scope="col">net</th>
            <th scope="col">ipc</th>
            <th scope="col">uts</th>
            <th scope="col">pid</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.name}>
              <th scope="row">
                {r.name} <span className="muted">{r.note}</span>
              </th>
              <td>{i === 0 ? 'creates' : 'joins'}</td>
              <td>{i === 0 ? 'creates' : 'joins'}</td>
              <td>{i === 0 ? 'creates' : 'joins'}</td>
              <td>{i === 0 ? (sharedPid ? 'creates' : 'own') : sharedPid ? 'joins' : 'own'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted hint">
        One IP, one hostname and one lo for every container: they reach each other on localhost.
      </p>
      <label className="check">
        <input
          type="checkbox"
          data-testid="share-process-namespace"
          checked={sharedPid}
          onChange={(e) =>
            apply({
              kind: 'updatePod',
              name: pod.name,
              patch: { shareProcessNamespace: e.target.checked },
            })
          }
        />{' '}
        shareProcessNamespace
      </label>
    </div>
  );
}

/** The pod's events, as `kubectl describe pod` ends: why it waits, why its address changed. */
function PodEvents({ name }: { name: string }) {
  const { events } = useAppShallow((st) => ({ events: selectEvents(st) }));
  const mine = events.filter((e) => e.object === objectKey('pod', name));
  if (mine.length === 0) return null;
  return (
    <ul className="events" data-testid="pod-events" aria-label="Events">
      {mine.map((e, i) => (
        <li key={i} className={`event event-${e.type}`}>
          <span className="event-head">
            {e.type} <strong>{e.reason}</strong>
          </span>
          <span className="event-msg">{e.message}</span>
        </li>
      ))}
    </ul>
  );
}

function PodView({ s, net, name, apply, problems, hop }: ViewProps) {
  const p = s.pods.find((v) => podRef(v) === name);
  if (!p) return null;
  // a pod the API server refused has no status: its problems above say why
  const cols = net?.podStatus.has(name) ? podColumns(net, name) : undefined;
  const ip = podAddress(net, name);
  return (
    <>
      <Problems problems={problems} />
      <OpenTerminal name={name} />
      {cols && (
        <p className={`pod-status phase-${cols.status}`} data-testid="pod-status">
          <strong>{cols.status}</strong> <span className="muted">READY {cols.ready}</span>
          {cols.message && <span> — {cols.message}</span>}
          {ip && <code className="pod-ip">{ip.ip.text}</code>}
        </p>
      )}
      <button
        type="button"
        className="btn"
        data-testid="recreate-pod"
        title="kubectl delete pod: its ReplicaSet brings up a replacement with a new name and a new IP"
        onClick={() => apply({ kind: 'recreatePod', name })}
      >
        Delete pod (its ReplicaSet recreates it)
      </button>
      <PodEvents name={name} />
      <PodNamespaces pod={p} apply={apply} />
      <Field
        label="IP (what host-local reserved for it; empty: the next free one)"
        testId="edit-pod-ip"
        value={p.ip ?? ''}
        onCommit={(v) => apply({ kind: 'updatePod', name, patch: { ip: v || undefined } })}
      />
      <label className="field">
        <span className="field-label">Node</span>
        <select
          data-testid="edit-node"
          value={p.node}
          onChange={(e) =>
            apply({ kind: 'updatePod', name, patch: { node: e.target.value as typeof p.node } })
          }
        >
          {s.nodes.map((n) => (
            <option key={n.name} value={n.name}>
              {n.name}
            </option>
          ))}
        </select>
      </label>
      <Containers pod={p} apply={apply} />
      <Labels
        value={labelsText(p.labels)}
        onCommit={(t) => apply({ kind: 'updatePod', name, patch: { labels: parseLabels(t) } })}
      />
      <PodPolicies pod={name} />
      <NamespaceTables net={net} name={name} hop={hop} />
    </>
  );
}

export const VIEWS: Record<ObjectKind, (p: ViewProps) => ReactNode> = {
  subnet: SubnetView,
  router: RouterView,
  node: NodeView,
  pod: PodView,
  service: ServiceView,
};

/** The view of one selected object: the module the inspector loads on the first selection. */
export default function ObjectView(props: ViewProps & { readonly kind: ObjectKind }) {
  const View = VIEWS[props.kind];
  return <View {...props} />;
}
