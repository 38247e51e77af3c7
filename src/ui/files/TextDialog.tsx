import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { TextField } from './TextField';
import '../styles/files.css';

/** The focus back on the control that opened the dialog, if it is still on the page. */
const focusOpener = (opener: Element | null) => {
  if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
};

/**
 * A box to paste a text into and submit it (the cluster paste, Add a NetworkPolicy).
 * A modal <dialog>: the page behind is inert, Tab stays inside, Escape closes it and the
 * focus goes back where it was. A refused text stays in the box with the reason under it;
 * a taken one empties the box and closes the dialog.
 */
export function TextDialog({
  open,
  onClose,
  testId,
  title,
  hint,
  label,
  textTestId,
  placeholder,
  submitTestId,
  submitLabel,
  busyLabel,
  onSubmit,
  returnFocus = focusOpener,
}: {
  open: boolean;
  onClose: () => void;
  testId: string;
  title: string;
  hint: ReactNode;
  label: string;
  textTestId: string;
  placeholder?: string;
  submitTestId: string;
  submitLabel: string;
  busyLabel: string;
  /** the reason the text was refused, in the importer's words, or null once it is taken */
  onSubmit: (text: string) => Promise<string | null>;
  /** where the focus goes once the dialog has closed, given what had it when it opened */
  returnFocus?: (opener: Element | null) => void;
}) {
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
    returnFocus(opener.current);
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy || text.trim() === '') return;
    setBusy(true);
    const refused = await onSubmit(text);
    setBusy(false);
    if (refused !== null) {
      setError(refused);
      return;
    }
    setText('');
    dialog.current?.close();
  };

  return (
    <dialog
      ref={dialog}
      className="paste-dialog"
      data-testid={testId}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-hint`}
      onClose={onClosed}
    >
      <form className="paste-form" onSubmit={(e) => void submit(e)}>
        <h2 className="paste-title" id={`${id}-title`}>
          {title}
        </h2>
        <p className="hint muted" id={`${id}-hint`}>
          {hint}
        </p>
        <TextField
          id={id}
          label={label}
          className="paste-text"
          testId={textTestId}
          rows={14}
          autoComplete="off"
          placeholder={placeholder}
          value={text}
          error={error}
          onChange={(t) => {
            setText(t);
            setError('');
          }}
          onSubmit={() => void submit()}
        />
        <div className="paste-actions">
          <button type="button" className="btn" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn primary"
            data-testid={submitTestId}
            disabled={busy || text.trim() === ''}
          >
            {busy ? busyLabel : submitLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
