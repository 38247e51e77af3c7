import { useEffect } from 'react';
import { SCROLL_STOP } from './panels/scrollFocus';
import { useAppStore } from './storeContext';

/** Inputs that take no typed text: a key other than undo/redo still belongs to them (Space ticks a box). */
const NOT_TEXT = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
]);

/** A control that takes keys of its own: a field, a select, a checkbox, a terminal. */
const inControl = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

/** A scrolling block the focus is on (a long table): its arrows and Space scroll it. */
const scrollsItself = (t: EventTarget | null) =>
  t instanceof HTMLElement && t.hasAttribute(SCROLL_STOP);

/** A field that takes typed text (its keys and its pastes are its own). */
export const textEntry = (t: EventTarget | null): t is HTMLElement =>
  t instanceof HTMLElement &&
  (t.isContentEditable ||
    t.tagName === 'TEXTAREA' ||
    (t instanceof HTMLInputElement && !t.readOnly && !NOT_TEXT.has(t.type)));

/**
 * Whether Ctrl+Z belongs to the field (the browser's own text undo): a text
 * field holding typed text not yet committed. An inspector field says it holds
 * none with `data-uncommitted="false"` (after Enter, or after an undo put the
 * stored value back); a field that is not an edit of the scenario (a packet's
 * address, the terminal) keeps its keys.
 */
const ownsUndo = (t: EventTarget | null) => textEntry(t) && t.dataset['uncommitted'] !== 'false';

/**
 * The habits people bring: Delete removes the selection, Ctrl+Z / Ctrl+Shift+Z
 * undo and redo wherever the focus is (a select just switched, a box just
 * ticked, a field just committed), Space plays or pauses, arrows step hops (a
 * focused table that scrolls keeps its arrows and Space to scroll),
 * Esc clears the selection. Other keys pressed in a control stay with it.
 */
export function useKeyboard() {
  const store = useAppStore();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const st = store.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.altKey && (key === 'z' || key === 'y')) {
        if (ownsUndo(e.target)) return;
        e.preventDefault();
        if (e.shiftKey || key === 'y') st.redo();
        else st.undo();
        return;
      }
      if (inControl(e.target)) return;
      if ((e.key === 'Delete' || e.key === 'Backspace') && st.link) {
        e.preventDefault();
        st.apply({ kind: 'disconnect', ...st.link });
        st.selectLink(null);
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && st.selection) {
        e.preventDefault();
        st.apply({ kind: 'remove', target: st.selection });
        st.select(null);
      } else if (e.key === 'Escape') {
        st.select(null);
        // a card keeps keyboard focus after a click: its ring would read as still selected
        const focused = document.activeElement;
        if (focused instanceof HTMLElement && focused.closest('.react-flow__node')) focused.blur();
      } else if (scrollsItself(e.target) && (e.key === ' ' || e.key.startsWith('Arrow'))) {
        return;
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
