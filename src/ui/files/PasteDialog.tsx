import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { importText } from '../../store/files';
import { useAppStore } from '../storeContext';
import '../styles/files.css';

const KUBECTL =
  'kubectl get namespaces,nodes,pods,services,endpointslices,networkpolicies -A -o yaml';

/**
 * A box to paste kubectl's output or a podhop scenario into, imported as a dropped file is.
 * A modal <dialog>: the page behind is inert, Tab stays inside, Escape closes it and the
 * focus goes back where it was. A refused text stays in the box with the reason under it.
 */
export function PasteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const store = useAppStore();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      setError('');
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  // Escape (the dialog's cancel) and close() both end here
  const onClosed = () => {
    onClose();
    const back = opener.current;
    // the opener may have been in the narrow screen's menu, closed since: then the menu's button
    const visible = back instanceof HTMLElement && back.isConnected && back.offsetParent !== null;
    const target = visible ? back : document.querySelector<HTMLElement>('.tb-more-toggle');
    target?.focus();
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy || text.trim() === '') return;
    setBusy(true);
    const notice = await importText(store, text, { kind: 'paste' });
    setBusy(false);
    if (notice.kind === 'error') {
      setError(notice.text);
      return;
    }
    setText('');
    dialog.current?.close();
  };

  return (
    <dialog
      ref={dialog}
      className="paste-dialog"
      data-testid="paste-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-hint`}
      onClose={onClosed}
    >
      <form className="paste-form" onSubmit={(e) => void submit(e)}>
        <h2 className="paste-title" id={`${id}-title`}>
          Paste a cluster or a scenario
        </h2>
        <p className="hint muted" id={`${id}-hint`}>
          What <code>{KUBECTL}</code> prints (or <code>-o json</code>, or manifests), or a podhop
          scenario (JSON). Ctrl+Enter imports.
        </p>
        <label className="paste-label" htmlFor={`${id}-text`}>
          Text to import
        </label>
        <textarea
          id={`${id}-text`}
          className="paste-text"
          data-testid="paste-text"
          rows={14}
          spellCheck={false}
          wrap="off"
          autoComplete="off"
          value={text}
          aria-invalid={error ? true : undefined}
          aria-errormessage={error ? `${id}-error` : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setError('');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
          }}
        />
        <p className="paste-error" id={`${id}-error`} role="alert">
          {error}
        </p>
        <div className="paste-actions">
          <button type="button" className="btn" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn primary"
            data-testid="paste-import"
            disabled={busy || text.trim() === ''}
          >
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
