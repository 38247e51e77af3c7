import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Edit, InstallError, Pod, Problem } from '../../../engine/index';

export type Apply = (e: Edit) => void;

// ---- form fields: a draft while typing, committed on Enter or blur, Esc reverts ----

/**
 * The text typed into a field and not yet committed. `dirty` tells the
 * keyboard handler (via `data-uncommitted`) whether Ctrl+Z is the field's own
 * text undo or the app's undo. When the stored value changes under a field
 * holding nothing new (an undo, a redo), the field shows the new value and has
 * nothing to commit on blur.
 */
function useDraft(value: string, same: (draft: string, value: string) => boolean) {
  const [draft, setDraft] = useState<string | null>(null);
  const [base, setBase] = useState(value);
  if (base !== value) {
    setBase(value);
    if (draft !== null && same(draft, base)) setDraft(null);
  }
  const dirty = draft !== null && !same(draft, value);
  return { draft, setDraft, dirty };
}

/**
 * A page going away (a reload, a closed tab) commits what the field holds, as
 * leaving the field would: typed text is never lost. It lands in the autosave
 * and this tab's session record, which the reload reopens.
 */
function useCommitOnLeave(dirty: boolean, commit: () => void) {
  const latest = useRef(commit);
  useEffect(() => {
    latest.current = commit;
  });
  useEffect(() => {
    if (!dirty) return;
    const leave = () => latest.current();
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }, [dirty]);
}

const sameTrimmed = (d: string, v: string) => d.trim() === v;
const sameText = (d: string, v: string) => d === v;

export function Field(props: {
  label: string;
  value: string;
  onCommit: (v: string) => void;
  testId?: string;
  placeholder?: string;
  hint?: ReactNode;
  numeric?: boolean;
}) {
  const { draft, setDraft, dirty } = useDraft(props.value, sameTrimmed);
  const commit = () => {
    if (draft !== null && dirty) props.onCommit(draft.trim());
    setDraft(null);
  };
  useCommitOnLeave(dirty, commit);
  return (
    <label className="field">
      <span className="field-label">{props.label}</span>
      <input
        className="mono"
        data-testid={props.testId}
        data-uncommitted={dirty}
        value={draft ?? props.value}
        placeholder={props.placeholder}
        inputMode={props.numeric ? 'numeric' : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') setDraft(null);
        }}
      />
      {props.hint && <span className="field-hint">{props.hint}</span>}
    </label>
  );
}

export function Labels({
  value,
  onCommit,
  label = 'Labels (key=value, one a line)',
  testId = 'edit-labels',
}: {
  value: string;
  onCommit: (v: string) => void;
  label?: string;
  testId?: string;
}) {
  const { draft, setDraft, dirty } = useDraft(value, sameText);
  const commit = () => {
    if (draft !== null && dirty) onCommit(draft);
    setDraft(null);
  };
  useCommitOnLeave(dirty, commit);
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <textarea
        className="mono"
        data-testid={testId}
        data-uncommitted={dirty}
        rows={Math.max(2, value.split('\n').length)}
        value={draft ?? value}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) commit();
          else if (e.key === 'Escape') setDraft(null);
        }}
      />
    </label>
  );
}

export const labelsText = (l: Pod['labels']) =>
  Object.entries(l ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq < 0) out[line] = '';
    else out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** A number field commits only numbers (NaN would not survive JSON); anything else reverts. */
export function ifNumber(v: string, then: (n: number) => void) {
  const n = Number(v);
  if (v.trim() !== '' && Number.isFinite(n)) then(n);
}

// ---- what is wrong with an object ----

/** `named`: the list gathers several objects' problems (the cluster view), so each says whose it is. */
export function Problems({ problems, named }: { problems: readonly Problem[]; named?: boolean }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problems" data-testid="problems" role="alert">
      {problems.map((p, i) => (
        <li key={i}>
          {named && p.object !== 'cluster' && <strong>{p.object}</strong>}{' '}
          {p.field && <code>{p.field}</code>} {p.text}
        </li>
      ))}
    </ul>
  );
}

export function InstallErrors({ errors }: { errors: readonly InstallError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="install-errors" data-testid="install-errors">
      <h4>The CNI could not install</h4>
      {errors.map((e, i) => (
        <pre key={i}>
          {/* each its own block: a long command wraps with a hanging indent */}
          <span className="ie-cmd">$ {e.command}</span>
          <span className="ie-text">{e.text}</span>
        </pre>
      ))}
    </div>
  );
}
