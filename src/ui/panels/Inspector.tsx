import { Fragment, lazy, Suspense, type ReactNode } from 'react';
import {
  buildProblems,
  podRef,
  serviceRef,
  type ObjectKind,
  type Scenario,
} from '../../engine/index';
import { selectBuild, selectCurrentHop, selectEvents } from '../../store/derived';
import type { AppState } from '../../store/state';
import { useAppShallow, useAppStore } from '../storeContext';
import { ModeDiff } from './ModeDiff';
import { NamespaceTables } from './TableView';
import { ClusterView } from './inspector/ClusterView';
import { Field, Problems, type Apply } from './inspector/fields';
// the object views load with the first selection: the first view is the cluster's, and the
// bytes on open stay within budget (README "Standards")
const ObjectView = lazy(() => import('./inspector/views'));
import { PolicyView } from './policy/PolicyView';

// ---- the panel ----

const pick = (st: AppState) => ({
  s: st.scenario,
  selection: st.selection,
  policy: st.policy !== null && st.scenario.networkPolicies?.[st.policy] !== undefined,
  build: selectBuild(st),
  hop: st.play ? selectCurrentHop(st) : undefined,
  events: selectEvents(st),
});

/** A selection names a pod or Service by namespace/name, the rest by name. */
const exists = (s: Scenario, kind: ObjectKind, name: string) =>
  kind === 'pod'
    ? s.pods.some((x) => podRef(x) === name)
    : kind === 'service'
      ? s.services.some((x) => serviceRef(x) === name)
      : { subnet: s.subnets, router: s.routers, node: s.nodes }[kind].some((x) => x.name === name);

export function Inspector() {
  const store = useAppStore();
  const { s, selection, policy, build, hop, events } = useAppShallow(pick);
  const apply: Apply = (e) => store.getState().apply(e);
  const net = build.ok ? build.network : undefined;
  const all = buildProblems(build);
  const sel = selection && exists(s, selection.kind, selection.name) ? selection : null;

  let body: ReactNode;
  if (policy && !sel) body = <PolicyView />;
  else if (sel) {
    body = (
      <Fragment key={`${sel.kind}/${sel.name}`}>
        <h3 className="insp-title">
          <span className={`kind-badge kind-${sel.kind}`}>{sel.kind}</span> {sel.name}
        </h3>
        <div className="insp-head">
          <Field
            label="Name"
            value={sel.name}
            testId="edit-name"
            onCommit={(to) => {
              store.getState().apply({ kind: 'rename', target: sel, to });
              store.getState().select({ kind: sel.kind, name: to });
            }}
          />
        </div>
        <Suspense fallback={<p className="muted">Reading {sel.name}…</p>}>
          <ObjectView
            kind={sel.kind}
            s={s}
            net={net}
            name={sel.name}
            apply={apply}
            problems={all.filter((p) => p.object === `${sel.kind}/${sel.name}`)}
            hop={hop}
          />
        </Suspense>
      </Fragment>
    );
  } else if (hop) {
    const kind = net?.namespace(hop.namespace)?.kind;
    body = (
      <>
        <div className="insp-head">
          <h3 className="insp-title">
            <code>{hop.namespace}</code> <span className="muted">where the packet is now</span>
          </h3>
          {kind && (
            <button
              type="button"
              className="btn small"
              onClick={() => store.getState().select({ kind, name: hop.namespace })}
            >
              Edit
            </button>
          )}
        </div>
        <NamespaceTables net={net} name={hop.namespace} hop={hop} />
      </>
    );
  } else {
    body = <ClusterView s={s} net={net} apply={apply} problems={all} events={events} />;
  }

  return (
    <div className="inspector" data-testid="inspector">
      <ModeDiff />
      {!build.ok && sel && (
        <details className="build-broken">
          <summary>
            The scenario has {all.length} problem{all.length === 1 ? '' : 's'}; no tables until
            {all.length === 1 ? ' it is' : ' they are'} fixed.
          </summary>
          <Problems problems={all} named />
        </details>
      )}
      {body}
    </div>
  );
}
