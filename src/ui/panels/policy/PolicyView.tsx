import { useId, useState } from 'react';
import { describeNetworkPolicy, policyObjectRef } from '../../../engine/index';
import { selectPickedPolicy, selectPolicies } from '../../../store/policies';
import { policyFromText, replacePolicyText } from '../../../store/policyText';
import type { AppState } from '../../../store/state';
import { TextField } from '../../files/TextField';
import { useAppShallow, useAppStore } from '../../storeContext';
import { TableView } from '../TableView';
import { EnforcementNote } from './EnforcementNote';
import '../../styles/policy.css';

// the object and its entry each as stored (a fresh wrapper every call would re-render forever)
const pick = (st: AppState) => ({
  object: selectPickedPolicy(st)?.object,
  entry: selectPickedPolicy(st)?.entry,
  cp: selectPolicies(st),
  index: st.policy,
  drafting: st.policyDraft !== null,
});

/**
 * A picked NetworkPolicy: what the API server made of it (`kubectl describe`, or why it
 * refused it, in its words), the pods it selects (lit on the canvas), and its text to edit —
 * applied through the undo path, or held as a what-if the matrix compares.
 */
export function PolicyView() {
  const { object, entry, cp, index, drafting } = useAppShallow(pick);
  if (!object || !entry || index === null) return null;
  const ref = policyObjectRef(object, index);
  const selected = entry.ok ? cp.engine.selected(entry.policy) : [];
  return (
    <div className="policy-view" data-testid="policy-view">
      <h3 className="insp-title">
        <span className="kind-badge kind-networkpolicy">networkpolicy</span> {ref}
      </h3>
      <EnforcementNote />
      {entry.ok ? (
        <>
          <p data-testid="policy-selects">
            Selects {selected.length === 0 ? 'no pod' : selected.map((p) => p.key).join(', ')}
            {selected.length > 0 && <span className="muted"> (lit on the canvas)</span>}
          </p>
          <TableView
            title={`kubectl describe networkpolicy ${entry.policy.name} -n ${entry.policy.namespace}`}
            text={describeNetworkPolicy(entry.policy).trimEnd()}
            testId="policy-describe"
          />
        </>
      ) : (
        <div className="policy-refused" data-testid="policy-refused">
          <p>
            <strong>Refused: not applied.</strong> The API server would answer{' '}
            <code>kubectl apply</code> with:
          </p>
          <pre role="alert">{entry.refusal.text}</pre>
        </div>
      )}
      <PolicyEditor
        key={`${index}:${JSON.stringify(object)}`}
        index={index}
        object={object}
        drafting={drafting}
      />
    </div>
  );
}

function PolicyEditor({
  index,
  object,
  drafting,
}: {
  index: number;
  object: Readonly<Record<string, unknown>>;
  drafting: boolean;
}) {
  const store = useAppStore();
  const [text, setText] = useState(() => JSON.stringify(object, null, 2));
  const [error, setError] = useState('');
  const id = useId();
  const apply = async () => {
    const r = await replacePolicyText(store, index, text);
    if (!r.ok) setError(r.text);
  };
  const whatIf = async () => {
    const r = await policyFromText(text);
    if (!r.ok) return setError(r.text);
    const st = store.getState();
    st.setPolicyDraft({ index, object: r.object });
    st.openMatrix();
  };
  return (
    <section className="policy-editor" aria-labelledby={`${id}-title`}>
      <h4 className="sub-title" id={`${id}-title`}>
        Edit
      </h4>
      <TextField
        id={id}
        label="The policy as YAML or JSON"
        className="policy-text"
        testId="policy-edit-text"
        rows={12}
        value={text}
        error={error}
        onChange={(t) => {
          setText(t);
          setError('');
        }}
      />
      <div className="policy-actions">
        <button
          type="button"
          className="btn small primary"
          data-testid="policy-apply"
          onClick={() => void apply()}
        >
          Apply
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="policy-whatif"
          onClick={() => void whatIf()}
        >
          What if? (matrix)
        </button>
        {drafting && (
          <button
            type="button"
            className="btn small"
            data-testid="policy-whatif-clear"
            onClick={() => store.getState().setPolicyDraft(null)}
          >
            Drop the what-if
          </button>
        )}
        <button
          type="button"
          className="btn small danger"
          data-testid="policy-delete"
          onClick={() => {
            const st = store.getState();
            st.apply({ kind: 'setNetworkPolicy', index, object: null });
            st.selectPolicy(null);
          }}
        >
          Delete
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => store.getState().selectPolicy(null)}
        >
          Back to the cluster
        </button>
      </div>
    </section>
  );
}
