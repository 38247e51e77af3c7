import { useId, useRef, useState, type KeyboardEvent } from 'react';
import {
  connectivity,
  policyEndpoint,
  policyObjectRef,
  type PolicyPod,
} from '../../../engine/index';
import {
  MATRIX_POD_LIMIT,
  selectMatrix,
  selectPolicies,
  trafficOf,
  type Matrix,
} from '../../../store/policies';
import type { AppState, MatrixSettings } from '../../../store/state';
import { useApp, useAppShallow, useAppStore } from '../../storeContext';
import { EnforcementNote } from './EnforcementNote';
import '../../styles/policy.css';

const PROTOCOLS: readonly MatrixSettings['protocol'][] = ['TCP', 'UDP', 'SCTP', 'ICMP'];

/** `default/pod1a` → `pod1a`, as the probe panel and the canvas name a pod */
const refOf = (p: PolicyPod) => (p.namespace === 'default' ? p.name : p.key);

const pick = (st: AppState) => ({
  settings: st.matrix,
  matrix: selectMatrix(st),
  cp: selectPolicies(st),
});

/**
 * Every pod × every pod (or those of chosen namespaces) on one protocol and port: allowed
 * or blocked as the policies say (egress at the source and ingress at the destination,
 * reachability.go's rule). A cell plays its packet; the cells the last edit turned, or a
 * what-if would turn, are marked. One cell is a tab stop; the arrows move between cells.
 */
export function MatrixDock() {
  const store = useAppStore();
  const { settings, matrix, cp } = useAppShallow(pick);
  const id = useId();
  if (!settings || !matrix) return null;
  const set = (patch: Partial<MatrixSettings>) => store.getState().openMatrix(patch);
  return (
    <section className="matrix-dock" aria-labelledby={`${id}-title`} data-testid="matrix">
      <div className="matrix-head">
        <h2 className="matrix-title" id={`${id}-title`}>
          Reachability matrix
        </h2>
        <label className="field inline">
          <span className="field-label">Protocol</span>
          <select
            data-testid="matrix-protocol"
            value={settings.protocol}
            onChange={(e) => set({ protocol: e.target.value as MatrixSettings['protocol'] })}
          >
            {PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {p === 'ICMP' ? 'ICMP (ping)' : p}
              </option>
            ))}
          </select>
        </label>
        {settings.protocol !== 'ICMP' && (
          <PortField port={settings.port} onPort={(port) => set({ port })} />
        )}
        <fieldset className="matrix-namespaces">
          <legend>Namespaces</legend>
          {matrix.namespaces.map((ns) => (
            <label key={ns} className="check">
              <input
                type="checkbox"
                data-testid={`matrix-ns-${ns}`}
                checked={settings.namespaces.includes(ns)}
                onChange={(e) =>
                  set({
                    namespaces: e.target.checked
                      ? [...settings.namespaces, ns]
                      : settings.namespaces.filter((n) => n !== ns),
                  })
                }
              />{' '}
              {ns}
            </label>
          ))}
          <span className="muted">
            {settings.namespaces.length === 0 ? '(none ticked: all)' : ''}
          </span>
        </fieldset>
        <button
          type="button"
          className="btn small matrix-close"
          data-testid="matrix-close"
          onClick={() => store.getState().closeMatrix()}
        >
          Close
        </button>
      </div>
      <EnforcementNote grid />
      <Summary matrix={matrix} refused={cp.refused.length} />
      <PolicyButtons />
      <Grid matrix={matrix} settings={settings} />
    </section>
  );
}

/** The policies, each a button that picks it in the inspector (to edit it, or try a what-if). */
function PolicyButtons() {
  const store = useAppStore();
  const objects = useApp((s) => s.scenario.networkPolicies);
  const picked = useApp((s) => s.policy);
  if (!objects?.length) return null;
  return (
    <p className="matrix-policies">
      <span className="muted">Edit a policy: </span>
      {objects.map((o, i) => (
        <button
          key={i}
          type="button"
          className="link-button"
          data-testid={`matrix-policy-${policyObjectRef(o, i)}`}
          aria-current={picked === i ? 'true' : undefined}
          onClick={() => store.getState().selectPolicy(i)}
        >
          {policyObjectRef(o, i)}
        </button>
      ))}
    </p>
  );
}

function PortField({ port, onPort }: { port: number; onPort: (p: number) => void }) {
  const [text, setText] = useState(String(port));
  const [shown, setShown] = useState(port);
  if (port !== shown) {
    setShown(port);
    setText(String(port));
  }
  const commit = () => {
    const n = Number(text);
    if (Number.isInteger(n) && n >= 1 && n <= 65535) onPort(n);
    else setText(String(port));
  };
  return (
    <label className="field inline port">
      <span className="field-label">Port</span>
      <input
        data-testid="matrix-port"
        type="number"
        min={1}
        max={65535}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
    </label>
  );
}

function Summary({ matrix, refused }: { matrix: Matrix; refused: number }) {
  const blocked = matrix.table.values.flat().filter((v) => !v).length;
  const cells = matrix.pods.length * matrix.pods.length;
  const draft = useApp((s) => s.policyDraft !== null);
  return (
    <div className="matrix-summary" data-testid="matrix-summary">
      <p>
        {blocked === 0
          ? `Every pair is allowed (${cells} cells).`
          : `${blocked} of ${cells} pairs blocked.`}{' '}
        {matrix.changedBy === 'lastEdit' && (
          <span className="matrix-changed-note" data-testid="matrix-changed">
            {matrix.changed.size} cell{matrix.changed.size === 1 ? '' : 's'} turned by your last
            edit (ringed).
          </span>
        )}
        {matrix.changedBy === 'draft' && (
          <span className="matrix-changed-note" data-testid="matrix-changed">
            The what-if would turn {matrix.changed.size} cell
            {matrix.changed.size === 1 ? '' : 's'} (ringed); it is not applied.
          </span>
        )}
        {draft && matrix.changedBy === null && (
          <span className="matrix-changed-note" data-testid="matrix-changed">
            The what-if turns no cell.
          </span>
        )}
        {refused > 0 && (
          <span className="muted">
            {' '}
            {refused} refused polic{refused === 1 ? 'y is' : 'ies are'} left out.
          </span>
        )}
      </p>
      {matrix.total > matrix.pods.length && (
        <p className="muted" data-testid="matrix-capped">
          Showing the first {MATRIX_POD_LIMIT} of {matrix.total} pods: tick namespaces to see
          others.
        </p>
      )}
      {matrix.pods.length === 0 && <p className="muted">No pod with an IP to show.</p>}
    </div>
  );
}

function Grid({ matrix, settings }: { matrix: Matrix; settings: MatrixSettings }) {
  const store = useAppStore();
  const cp = useApp(selectPolicies);
  const [at, setAt] = useState<readonly [number, number]>([0, 0]);
  const table = useRef<HTMLTableElement>(null);
  const n = matrix.pods.length;
  if (n === 0) return null;
  const [ai, aj] = [Math.min(at[0], n - 1), Math.min(at[1], n - 1)];
  const focusCell = (i: number, j: number) => {
    const ci = Math.max(0, Math.min(n - 1, i));
    const cj = Math.max(0, Math.min(n - 1, j));
    setAt([ci, cj]);
    table.current?.querySelector<HTMLElement>(`[data-cell="${ci}:${cj}"]`)?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, readonly [number, number]> = {
      ArrowUp: [ai - 1, aj],
      ArrowDown: [ai + 1, aj],
      ArrowLeft: [ai, aj - 1],
      ArrowRight: [ai, aj + 1],
      Home: [ai, 0],
      End: [ai, n - 1],
    };
    const to = moves[e.key];
    if (!to) return;
    // the grid's arrows are its own, not the hop stepper's
    e.preventDefault();
    e.stopPropagation();
    focusCell(to[0], to[1]);
  };
  const play = (from: PolicyPod, to: PolicyPod) => {
    const st = store.getState();
    if (settings.protocol === 'SCTP') {
      st.notify({
        kind: 'info',
        text: "podhop's probes send TCP, UDP and ICMP: an SCTP cell shows the policies' verdict, with no packet to play",
      });
      return;
    }
    st.setPlay({
      from: refOf(from),
      dst: to.ip!.text,
      to: refOf(to),
      protocol: settings.protocol === 'ICMP' ? 'icmp' : settings.protocol === 'TCP' ? 'tcp' : 'udp',
      ...(settings.protocol === 'ICMP' ? {} : { dport: settings.port }),
    });
  };
  const from = matrix.pods[ai]!;
  const to = matrix.pods[aj]!;
  const c = connectivity(
    cp.engine,
    policyEndpoint(cp.world, from.key)!,
    policyEndpoint(cp.world, to.key)!,
    trafficOf(settings),
  );
  return (
    <>
      <div className="matrix-scroll">
        <table
          ref={table}
          className="matrix-grid"
          role="grid"
          aria-label={`Reachability on ${settings.protocol}${settings.protocol === 'ICMP' ? '' : ` port ${settings.port}`}: rows are sources, columns destinations`}
          onKeyDown={onKey}
        >
          <thead>
            <tr>
              <th scope="col" className="matrix-corner">
                from ↓ to →
              </th>
              {matrix.pods.map((p) => (
                <th key={p.key} scope="col" className="matrix-col">
                  <span>{p.key}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.pods.map((src, i) => (
              <tr key={src.key}>
                <th scope="row" className="matrix-row">
                  {src.key}
                </th>
                {matrix.pods.map((dst, j) => {
                  const ok = matrix.table.values[i]![j]!;
                  const changed = matrix.changed.has(`${src.key}\t${dst.key}`);
                  const self = i === j;
                  return (
                    <td key={dst.key} role="gridcell">
                      <button
                        type="button"
                        className="matrix-cell"
                        data-cell={`${i}:${j}`}
                        data-testid={`cell-${src.key}-${dst.key}`}
                        data-allowed={ok}
                        data-changed={changed || undefined}
                        data-self={self || undefined}
                        tabIndex={i === ai && j === aj ? 0 : -1}
                        aria-label={`${src.key} to ${dst.key}: ${ok ? 'allowed' : 'blocked'}${changed ? ', changed' : ''}`}
                        onFocus={() => setAt([i, j])}
                        onClick={() => play(src, dst)}
                      >
                        {ok ? '✓' : '✕'}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="matrix-cell-detail" data-testid="matrix-detail" aria-live="polite">
        <strong>
          {from.key} → {to.key}: {c.allowed ? 'allowed' : 'blocked'}
        </strong>
        {c.egress && <span>egress: {c.egress.text}</span>}
        {c.ingress && <span>ingress: {c.ingress.text}</span>}
        <span className="muted">Enter or a click plays this packet.</span>
      </div>
    </>
  );
}
