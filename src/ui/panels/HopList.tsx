import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Hop, Leg } from '../../engine/index';
import { selectTrace } from '../../store/derived';
import type { AppState } from '../../store/state';
import { useAppShallow, useAppStore } from '../storeContext';
import { FoldTitle } from './Fold';
import { ACTION_TAG, HopDetail } from './HopDetail';
import { useOverflows } from './scrollFocus';

const LEG_LABEL: Record<Leg, string> = {
  request: 'request',
  reply: 'reply',
  error: 'ICMP error',
};

const pick = (s: AppState) => ({ trace: selectTrace(s), hop: s.hop });

const reducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * The box that scrolls the card into view: the hop list when it scrolls on its
 * own, else the left column (one scroll area on a wide screen), else on a phone
 * the workspace (the page's one scroll area, under the canvas pinned on top);
 * never the document.
 */
function scrollerOf(card: HTMLElement): HTMLElement | undefined {
  for (let e = card.parentElement; e; e = e.parentElement) {
    const y = getComputedStyle(e).overflowY;
    const scrolls = (y === 'auto' || y === 'scroll') && e.scrollHeight > e.clientHeight + 1;
    if (e.classList.contains('workspace')) return scrolls ? e : undefined;
    if (scrolls) return e;
  }
  return undefined;
}

/** How much of the box's top a pinned child covers (the player on a wide screen, the canvas on a phone). */
function coveredTop(box: HTMLElement): number {
  const boxTop = box.getBoundingClientRect().top;
  for (const pinned of box.querySelectorAll<HTMLElement>(':scope > .player, :scope > .canvas-area'))
    if (getComputedStyle(pinned).position === 'sticky')
      return Math.max(0, pinned.getBoundingClientRect().bottom - boxTop);
  return 0;
}

/** Scrolls the box so the card is in view, below the player where it stays on top. */
function keepInView(card: HTMLElement) {
  const box = scrollerOf(card);
  if (!box) return;
  const boxTop = box.getBoundingClientRect().top;
  const covered = coveredTop(box);
  const top = card.getBoundingClientRect().top - boxTop + box.scrollTop;
  const bottom = top + card.offsetHeight;
  const room = box.clientHeight - covered;
  let to: number | undefined;
  const below = top > box.scrollTop + box.clientHeight - 40;
  if (top - covered < box.scrollTop || (card.offsetHeight > room && below)) to = top - covered - 4;
  else if (bottom > box.scrollTop + box.clientHeight)
    to = Math.min(bottom - box.clientHeight + 4, top - covered - 4);
  if (to !== undefined)
    box.scrollTo({ top: Math.max(0, to), behavior: reducedMotion() ? 'auto' : 'smooth' });
}

type Explain = (hops: readonly Hop[], i: number) => string;
let explainLoaded: Explain | undefined;

/**
 * The plain sentences (engine/walk/explain) load with the first packet sent, as the
 * shell does with the first terminal: they stay off the first paint's bundle budget.
 */
function useExplain(wanted: boolean): Explain | undefined {
  const [fn, setFn] = useState<Explain | undefined>(() => explainLoaded);
  useEffect(() => {
    if (fn || !wanted) return;
    let live = true;
    void import('../../engine/walk/explain').then((m) => {
      explainLoaded = m.explainHop;
      if (live) setFn(() => m.explainHop);
    });
    return () => {
      live = false;
    };
  }, [fn, wanted]);
  return fn;
}

function HopCard({
  hop,
  prev,
  next,
  index,
  plain,
  current,
  onPick,
}: {
  hop: Hop;
  prev: Hop | undefined;
  next: Hop | undefined;
  index: number;
  /** what happened and why, in one plain sentence (the engine's explainHop) */
  plain: string;
  current: boolean;
  onPick: (i: number) => void;
}) {
  const rule = hop.consulted[0]?.line.trimEnd();
  const devs = hop.devIn || hop.devOut ? `${hop.devIn ?? '·'} → ${hop.devOut ?? '·'}` : undefined;
  return (
    <li
      className={`hop-card act-${hop.action}${current ? ' current' : ''}`}
      data-testid={`hop-${index}`}
      data-action={hop.action}
      aria-current={current ? 'true' : undefined}
      onClick={() => onPick(index)}
    >
      <button type="button" className="hop-summary" aria-expanded={current}>
        <span className="hop-top">
          <span className="hop-num">{index + 1}</span>
          <span className={`tag tag-${hop.action}`}>{ACTION_TAG[hop.action]}</span>
          <span className="hop-title">{hop.title}</span>
        </span>
        <span className="hop-meta">
          <span className="hop-ns">{hop.namespace}</span>
          {devs && <span className="hop-devs">{devs}</span>}
          <span className={`hop-leg leg-${hop.leg}`}>{LEG_LABEL[hop.leg]}</span>
        </span>
        {rule && <code className="hop-rule">{rule}</code>}
        {plain && (
          <span className="hop-plain" data-testid="hop-plain">
            {plain}
          </span>
        )}
      </button>
      {current && <HopDetail hop={hop} prev={prev} next={next} />}
    </li>
  );
}

/** The simulation's event list: one card per hop; the current one opens into its detail. */
export function HopList() {
  const store = useAppStore();
  const { trace, hop } = useAppShallow(pick);
  const list = useRef<HTMLOListElement>(null);
  // a long list (or a lesson's masked cards, which hold no button) scrolls: Tab reaches it,
  // PageUp/PageDown/Home/End scroll it, the arrows step the hops and it follows
  const scrolls = useOverflows(list);
  const hops = trace?.hops ?? [];
  const at = Math.min(hop, Math.max(0, hops.length - 1));
  const [open, setOpen] = useState(true);
  const explain = useExplain(!!trace);
  const plain = useMemo(
    () => (explain ? hops.map((_, i) => explain(hops, i)) : []),
    [hops, explain],
  );

  useEffect(() => {
    // a packet just sent starts on its first hop: the column stays where the learner reads
    // (a lesson step's text); from the second hop on, the list follows the packet
    const card = list.current?.querySelector<HTMLElement>(`[data-testid="hop-${at}"]`);
    if (card && (at > 0 || scrollerOf(card)?.classList.contains('hop-list'))) keepInView(card);
  }, [at, trace, open]);

  if (!trace) {
    return (
      <section className="panel hop-list-panel" aria-labelledby="hops-h">
        <h2 id="hops-h" className="panel-title">
          Hops
        </h2>
        <p className="muted hint">
          Pick a source and a destination and press Send: every namespace the packet crosses appears
          here, with the table line that sent it on.
        </p>
      </section>
    );
  }

  const items: ReactNode[] = [];
  hops.forEach((h, i) => {
    const probe = trace.probeOf?.[i];
    const prev = hops[i - 1];
    if (probe !== undefined && probe !== trace.probeOf?.[i - 1])
      items.push(
        <li key={`p${i}`} className="hop-sep" aria-hidden="true">
          probe with TTL {probe}
        </li>,
      );
    else if (prev && prev.leg !== h.leg)
      items.push(
        <li key={`l${i}`} className="hop-sep" aria-hidden="true">
          {h.leg === 'reply' ? '↩ the reply' : '↩ the ICMP error'}
        </li>,
      );
    items.push(
      <HopCard
        key={i}
        hop={h}
        prev={prev}
        next={hops[i + 1]}
        index={i}
        plain={plain[i] ?? ''}
        current={i === at}
        onPick={(j) => store.getState().setHop(j)}
      />,
    );
  });

  return (
    <section
      className={`panel hop-list-panel${hops.length > 0 ? ' has-hops' : ''}`}
      aria-labelledby="hops-h"
    >
      <FoldTitle id="hops-h" open={open} onToggle={() => setOpen((o) => !o)} testId="hops-fold">
        Hops <span className="muted hop-total">({hops.length})</span>
      </FoldTitle>
      {!open ? null : hops.length === 0 ? (
        <p className="muted hint">The packet never left: {trace.verdict.text}</p>
      ) : (
        <ol
          className="hop-list"
          ref={list}
          aria-label="Hops of the packet"
          tabIndex={scrolls ? 0 : undefined}
        >
          {items}
        </ol>
      )}
    </section>
  );
}
