import { podIsolation, selectPolicies } from '../../../store/policies';
import { useApp, useAppStore } from '../../storeContext';
import '../../styles/policy.css';

/** The policies isolating a pod, per direction, each a button that picks it. */
export function PodPolicies({ pod }: { pod: string }) {
  const store = useAppStore();
  const cp = useApp(selectPolicies);
  const iso = podIsolation(cp, pod);
  if (!iso || cp.policies.length === 0) return null;
  const row = (direction: 'ingress' | 'egress') => {
    const list = iso[direction];
    return (
      <li data-testid={`pod-isolated-${direction}`}>
        {list.length === 0 ? (
          <>
            Not isolated for {direction}
            <span className="muted">
              {' '}
              (no policy with policyType {direction === 'ingress' ? 'Ingress' : 'Egress'} selects
              it)
            </span>
          </>
        ) : (
          <>
            Isolated for {direction} by{' '}
            {list.map((p, i) => (
              <span key={p.ref}>
                {i > 0 && ', '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => store.getState().selectPolicy(p.index)}
                >
                  {p.ref}
                </button>
              </span>
            ))}
          </>
        )}
      </li>
    );
  };
  return (
    <section className="pod-policies" aria-label="NetworkPolicies" data-testid="pod-policies">
      <h4 className="sub-title">NetworkPolicies</h4>
      <ul>
        {row('ingress')}
        {row('egress')}
      </ul>
    </section>
  );
}
