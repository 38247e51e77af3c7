import { useEffect } from 'react';
import { useAppStore } from './storeContext';

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/**
 * The habits people bring: Delete removes the selection, Ctrl+Z / Ctrl+Shift+Z
 * undo and redo, Space plays or pauses, arrows step hops, Esc clears the
 * selection. Keys typed into a field stay with the field.
 */
export function useKeyboard() {
  const store = useAppStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      const st = store.getState();
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) st.redo();
        else st.undo();
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        st.redo();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && st.selection) {
        e.preventDefault();
        st.apply({ kind: 'remove', target: st.selection });
        st.select(null);
      } else if (e.key === 'Escape') {
        st.select(null);
      } else if (e.key === ' ' && st.play) {
        e.preventDefault();
        st.setPlaying(!st.playing);
      } else if ((e.key === 'ArrowRight' || e.key === 'ArrowDown') && st.play) {
        e.preventDefault();
        st.step(1);
      } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowUp') && st.play) {
        e.preventDefault();
        st.step(-1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
