import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { addPolicyText } from '../../../store/policyText';
import { useAppStore } from '../../storeContext';
import '../../styles/files.css';
import '../../styles/policy.css';

const EXAMPLE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes:
  - Ingress`;

/**
 * A box to paste NetworkPolicies into (YAML or JSON, one or several documents, a List), as
 * `kubectl apply -f -` takes them. A modal <dialog> like the cluster paste: Escape closes it
 * and the focus goes back; text that holds no policy stays in the box with the reason.
 */
export function PolicyAddDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
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

  const onClosed = () => {
    onClose();
    const back = opener.current;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy || text.trim() === '') return;
    setBusy(true);
    const r = await addPolicyText(store, text);
    setBusy(false);
    if (!r.ok) {
      setError(r.text);
      return;
    }
    store.getState().notify({ kind: 'info', text: `NetworkPolicy: ${r.text}` });
    setText('');
    dialog.current?.close();
  };

  return (
    <dialog
      ref={dialog}
      className="paste-dialog"
      data-testid="policy-add-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-hint`}
      onClose={onClosed}
    >
      <form className="paste-form" onSubmit={(e) => void submit(e)}>
        <h2 className="paste-title" id={`${id}-title`}>
          Add a NetworkPolicy
        </h2>
        <p className="hint muted" id={`${id}-hint`}>
          YAML or JSON, as on kubernetes.io or from <code>kubectl get networkpolicy -o yaml</code>;
          several documents add several. One with the namespace and name of a policy already here
          replaces it, as <code>kubectl apply</code> does. Ctrl+Enter adds.
        </p>
        <label className="paste-label" htmlFor={`${id}-text`}>
          NetworkPolicy YAML or JSON
        </label>
        <textarea
          id={`${id}-text`}
          className="paste-text"
          data-testid="policy-add-text"
          rows={14}
          spellCheck={false}
          wrap="off"
          autoComplete="off"
          placeholder={EXAMPLE}
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
            data-testid="policy-add-submit"
            disabled={busy || text.trim() === ''}
          >
            {busy ? 'Adding…' : 'Add'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
