import type { ObjectKind } from '../../../engine/index';
import { useApp } from '../../storeContext';
import { isSelected, selectFocus } from '../selectors';

/**
 * Whether the played hop touches this component (data-active on the canvas).
 * The selector returns a boolean, so a hop step re-renders only what lights up or goes dark.
 */
export function useActive(id: string): boolean {
  return useApp((s) => selectFocus(s)?.active.has(id) ?? false);
}

/** Whether the store's selection is this scenario object. */
export function useSelected(kind: ObjectKind, name: string): boolean {
  return useApp((s) => isSelected(s.selection, kind, name));
}

/** data-* attributes every drawn component carries. */
export const marks = (active: boolean, selected = false) => ({
  'data-active': active ? 'true' : 'false',
  'data-selected': selected ? 'true' : 'false',
});
