import { useEffect } from 'react';
import { importFile, importText } from '../../store/files';
import { useAppStore } from '../storeContext';
import { textEntry } from '../useKeyboard';

/**
 * Ctrl/Cmd+V outside a text field imports what the clipboard holds: kubectl's output, a
 * podhop scenario, or a copied file. In a field (the inspector, the terminal, the paste
 * dialog) the paste is the field's.
 */
export function usePasteImport() {
  const store = useAppStore();
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      if (textEntry(e.target) || textEntry(document.activeElement)) return;
      const data = e.clipboardData;
      if (!data) return;
      const file = data.files[0];
      const text = file ? undefined : data.getData('text/plain');
      if (!file && !text) return;
      e.preventDefault();
      if (file) void file.text().then((t) => importFile(store, t, file.name));
      else if (text) void importText(store, text, { kind: 'paste' });
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [store]);
}
