import { useState } from 'react';
import { policyObjectRef } from '../../../engine/index';
import { selectPolicies } from '../../../store/policies';
import type { AppState } from '../../../store/state';
import { useAppShallow, useAppStore } from '../../storeContext';
import { PolicyAddDialog } from './PolicyAddDialog';
import { EnforcementNote } from './EnforcementNote';
import '../../styles/policy.css';

const pick = (st: AppState) => ({
  objects: st.scenario.networkPolicies,
  cp: selectPolicies(st),
  picked: st.policy,
});

/** The cluster's NetworkPolicies, each a button that picks it; a refused one is marked. */
export function PolicyList() {
  const store = useAppStore();
  const { objects = [], cp, picked } = useAppShallow(pick);
  const [adding, setAdding] = useState(false);
  return (
    <section className="policy-list" aria-labelledby="policy-list-title" data-testid="policy-list">
      <h4 className="sub-title" id="policy-list-title">
        NetworkPolicies
      </h4>
      <EnforcementNote />
      {objects.length === 0 ? (
        <p className="muted">None: every pod accepts and sends everything.</p>
      ) : (
        <ul className="policy-items">
          {objects.map((o, i) => {
            const e = cp.entries[i];
            const refused = e !== undefined && !e.ok;
            const pods = e?.ok ? cp.engine.selected(e.policy).length : 0;
            const ref = policyObjectRef(o, i);
            return (
              <li key={i}>
                <button
                  type="button"
                  className="policy-item"
                  data-testid={`policy-item-${ref}`}
                  data-refused={refused || undefined}
                  aria-current={picked === i ? 'true' : undefined}
                  onClick={() => store.getState().selectPolicy(i)}
                >
                  <code>{ref}</code>
                  <span className="muted">
                    {refused
                      ? 'refused: not applied'
                      : `selects ${pods} pod${pods === 1 ? '' : 's'}`}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <div className="policy-actions">
        <button
          type="button"
          className="btn small"
          data-testid="policy-add"
          onClick={() => setAdding(true)}
        >
          Add NetworkPolicy…
        </button>
        <button
          type="button"
          className="btn small"
          data-testid="matrix-open"
          onClick={() => store.getState().openMatrix()}
        >
          Reachability matrix
        </button>
      </div>
      <PolicyAddDialog open={adding} onClose={() => setAdding(false)} />
    </section>
  );
}
