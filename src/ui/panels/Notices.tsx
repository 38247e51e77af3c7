import { useApp, useAppStore } from '../storeContext';

/** Messages for the user (a broken link, a refused import), each dismissible. */
export function Notices() {
  const store = useAppStore();
  const notices = useApp((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices">
      {notices.map((n, i) => (
        <div
          key={`${i}:${n.text}`}
          className={`notice notice-${n.kind}`}
          data-testid="notice"
          data-kind={n.kind}
          role={n.kind === 'error' ? 'alert' : 'status'}
        >
          <span className="notice-text">{n.text}</span>
          {n.action && (
            <button
              type="button"
              className="btn"
              data-testid="notice-action"
              onClick={() => {
                const st = store.getState();
                st.dismiss(i);
                if (n.action) st.replace(n.action.scenario);
              }}
            >
              {n.action.label}
            </button>
          )}
          <button
            type="button"
            className="btn icon ghost"
            aria-label="Dismiss"
            onClick={() => store.getState().dismiss(i)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
