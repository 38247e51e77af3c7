/**
 * While a question is open, whatever would give its answer away is covered:
 * the hops from the predicted one on (one placeholder stands for them all, so
 * their number says nothing either), the hop count, the verdict, the table
 * line the current hop matched, and — when the question is about the very
 * first hop — the packet on the canvas. (Those are drawn elsewhere; this only
 * styles them, keyed on their classes.)
 */
export function HopMask({ from }: { from: number }) {
  const card = (n: string) => `.hop-list > .hop-card:nth-child(${n} of .hop-card)`;
  const first = card(String(from + 1));
  const rest = card(`n + ${from + 2}`);
  const verdict = '.player .verdict-box';
  const css = `
${first}, ${verdict} {
  position: relative; pointer-events: none; user-select: none;
}
${first} > *, ${verdict} > * { visibility: hidden; }
${first} ~ .hop-sep, ${rest} { display: none; }
${first}::after, ${verdict}::after {
  content: 'hidden until you answer the lesson’s question';
  position: absolute; inset: 0; display: grid; place-items: center;
  border: 1px dashed var(--line); border-radius: 6px;
  background: repeating-linear-gradient(135deg, var(--bg) 0 6px, var(--panel) 6px 12px);
  color: var(--muted); font-size: 11.5px;
}
${first} { min-height: 34px; }
.playback .hop-count, .hop-list-panel .hop-total { visibility: hidden; }
.table-line.matched { background: none; box-shadow: none; font-weight: inherit; }
.table-note { visibility: hidden; }
${from === 0 ? '.cv-packet, .cv-drop-banner { visibility: hidden; }' : ''}`;
  return <style data-testid="lesson-mask">{css}</style>;
}
