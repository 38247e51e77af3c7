/**
 * While a question is open, the hop list from the predicted hop on and the
 * verdict are covered: they would give the answer away. (The hop list and the
 * probe panel are drawn elsewhere; this only styles them, keyed on their classes.)
 */
export function HopMask({ from }: { from: number }) {
  const hidden = `.hop-list > .hop-card:nth-child(n + ${from + 1} of .hop-card)`;
  const css = `
${hidden}, ${hidden} ~ .hop-sep, .probe-panel .verdict-box {
  position: relative; pointer-events: none; user-select: none;
}
${hidden} > *, ${hidden} ~ .hop-sep, .probe-panel .verdict-box > * { visibility: hidden; }
${hidden}::after, .probe-panel .verdict-box::after {
  content: 'hidden until you answer the lesson’s question';
  position: absolute; inset: 0; display: grid; place-items: center;
  border: 1px dashed var(--line); border-radius: 6px;
  background: repeating-linear-gradient(135deg, var(--bg) 0 6px, var(--panel) 6px 12px);
  color: var(--muted); font-size: 11.5px;
}`;
  return <style data-testid="lesson-mask">{css}</style>;
}
