import { useId, useState } from 'react';
import { useApp, useAppStore } from '../storeContext';

/** Lines shown folded, one screen row each; the rest, and each line whole, on "all notes". */
const SHOWN_LINES = 3;
/** Longer than this a line may be cut at its row's end: the notice offers the whole text. */
const LONG_LINE = 100;

/**
 * A notice's detail lines, one item each. Folded, the first few take one row each (cut with
 * an ellipsis, the whole line in its tooltip and for a screen reader), so a long import report
 * leaves the canvas its room; unfolded, every line is whole.
 */
function NoticeLines({ lines }: { lines: readonly string[] }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const foldable = lines.length > SHOWN_LINES || lines.some((l) => l.length > LONG_LINE);
  const shown = open || !foldable ? lines : lines.slice(0, SHOWN_LINES);
  return (
    <>
      <ul
        id={id}
        className={foldable && !open ? 'notice-lines folded' : 'notice-lines'}
        data-testid="notice-lines"
      >
        {shown.map((line, i) => (
          <li key={i} title={foldable && !open ? line : undefined}>
            {line}
          </li>
        ))}
      </ul>
      {foldable && (
        <button
          type="button"
          className="notice-more"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Fewer notes' : `All ${lines.length} notes`}
        </button>
      )}
    </>
  );
}

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
          <div className="notice-text">
            <span className="notice-title">{n.text}</span>
            {n.lines && n.lines.length > 0 && <NoticeLines lines={n.lines} />}
          </div>
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
