import type { PaletteKind } from './placement';

/**
 * While a palette item is being placed, the canvas marks what it cannot be
 * dropped on as see-through, so the drop lands on the frame it goes into
 * (a node on its subnet, through the node frames and pods drawn over it) and
 * those frames light up as drop zones. Set on pointer-down, before the browser
 * starts the drag, so the first hit test already sees it.
 */
const ATTR = 'podhopPlacing';

export function armPlacing(kind: PaletteKind): void {
  document.documentElement.dataset[ATTR] = kind;
}

export function disarmPlacing(): void {
  delete document.documentElement.dataset[ATTR];
}
