import { useEffect, useState, type RefObject } from 'react';

/**
 * Whether a box's content overflows it, so that it scrolls. A box that scrolls
 * must be reachable from the keyboard (WCAG 2.1.1; axe's
 * `scrollable-region-focusable`); one where everything fits is no tab stop.
 */
export function useOverflows(box: RefObject<HTMLElement | null>): boolean {
  const [overflows, setOverflows] = useState(false);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () =>
      setOverflows(el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
    // every render may bring other content (another table text); a resize of the box (the
    // inspector narrowed, the phone turned) comes without one
    measure();
    if (typeof ResizeObserver !== 'function') return;
    const watch = new ResizeObserver(measure);
    watch.observe(el);
    return () => watch.disconnect();
  });
  return overflows;
}

/** Marks a box whose arrow keys and Space scroll it (useKeyboard leaves them to it). */
export const SCROLL_STOP = 'data-scroll-stop';

/**
 * A table block that scrolls, as a keyboard reaches it: a named, focusable
 * group (a screen reader says the table's command on focus) whose arrow keys
 * scroll it. `{}` while everything fits.
 */
export function useScrollStop(box: RefObject<HTMLElement | null>, name: string) {
  return useOverflows(box)
    ? { tabIndex: 0, role: 'group', 'aria-label': `${name} (scrolls)`, [SCROLL_STOP]: '' }
    : {};
}
