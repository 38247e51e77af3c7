import { useId, useState } from 'react';
import type { Notice } from '../../store/state';
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

/** Notices shown whole at once: the newest; the older ones fold under one line. */
const SHOWN = 1;

function NoticeCard({
  n,
  index,
  testId,
}: {
  n: Notice;
  /** its index in the store's list (oldest first), which dismiss takes */
  index: number;
  testId: string;
}) {
  const store = useAppStore();
  return (
    <div
      className={`notice notice-${n.kind}`}
      data-testid={testId}
      data-kind={n.kind}
      role={testId === 'notice' ? (n.kind === 'error' ? 'alert' : 'status') : undefined}
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
            st.dismiss(index);
            if (n.action) {
              st.replace(n.action.scenario);
              st.frameImported();
            }
          }}
        >
          {n.action.label}
        </button>
      )}
      <button
        type="button"
        className="btn icon ghost"
        aria-label="Dismiss"
        onClick={() => store.getState().dismiss(index)}
      >
        ×
      </button>
    </div>
  );
}

/**
 * Messages for the user (a broken link, a refused import), each dismissible.
 * The newest is shown whole; older ones fold under "N earlier notices", newest
 * first, so a few imports in a row do not push the canvas down.
 */
export function Notices() {
  const store = useAppStore();
  const notices = useApp((s) => s.notices);
  const [open, setOpen] = useState(false);
  const id = useId();
  if (notices.length === 0) return null;
  // newest first, each with its index in the store's list
  const byAge = notices.map((n, i) => ({ n, i })).reverse();
  const shown = byAge.slice(0, SHOWN);
  const older = byAge.slice(SHOWN);
  return (
    <div className="notices">
      {shown.map(({ n, i }) => (
        <NoticeCard key={`${i}:${n.text}`} n={n} index={i} testId="notice" />
      ))}
      {older.length > 0 && (
        <div className="notice-older" data-testid="notices-older">
          <button
            type="button"
            className="notice-more"
            aria-expanded={open}
            aria-controls={id}
            onClick={() => setOpen((o) => !o)}
          >
            {open
              ? 'Hide earlier notices'
              : `${older.length} earlier notice${older.length === 1 ? '' : 's'}`}
          </button>
          <button
            type="button"
            className="notice-more"
            onClick={() => {
              const st = store.getState();
              for (const { i } of older) st.dismiss(i);
              setOpen(false);
            }}
          >
            Dismiss them
          </button>
          <div id={id} className="notice-older-list" hidden={!open}>
            {older.map(({ n, i }) => (
              <NoticeCard key={`${i}:${n.text}`} n={n} index={i} testId="notice-older" />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}
