import { importText } from '../../store/files';
import { useAppStore } from '../storeContext';
import { TextDialog } from './TextDialog';

const KUBECTL =
  'kubectl get namespaces,nodes,pods,services,endpointslices,networkpolicies -A -o yaml';

// the opener may have been in the narrow screen's menu, closed since: then the menu's button
const returnFocus = (back: Element | null) => {
  const visible = back instanceof HTMLElement && back.isConnected && back.offsetParent !== null;
  const target = visible ? back : document.querySelector<HTMLElement>('.tb-more-toggle');
  target?.focus();
};

/**
 * A box to paste kubectl's output or a podhop scenario into, imported as a dropped file is.
 * A modal <dialog> (see TextDialog); a refused text stays in the box with the reason under it.
 */
export function PasteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const store = useAppStore();
  const submit = async (text: string) => {
    const notice = await importText(store, text, { kind: 'paste' });
    return notice.kind === 'error' ? notice.text : null;
  };
  return (
    <TextDialog
      open={open}
      onClose={onClose}
      testId="paste-dialog"
      title="Paste a cluster or a scenario"
      hint={
        <>
          What <code>{KUBECTL}</code> prints (or <code>-o json</code>, or manifests), or a podhop
          scenario (JSON). Ctrl+Enter imports.
        </>
      }
      label="Text to import"
      textTestId="paste-text"
      submitTestId="paste-import"
      submitLabel="Import"
      busyLabel="Importing…"
      onSubmit={submit}
      returnFocus={returnFocus}
    />
  );
}
