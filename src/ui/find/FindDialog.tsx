import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { selectNetwork } from '../../store/derived';
import { useApp, useAppStore } from '../storeContext';
import { textEntry } from '../useKeyboard';
import { flyTo } from '../canvas/useFlyTo';
import { findHits, type FindHit } from './search';
import '../styles/files.css';
import '../styles/find.css';

/** `/` or Ctrl+K outside a text field, as in most tools that search what they show. */
const opensFind = (e: KeyboardEvent) =>
  !e.altKey &&
  (((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') ||
    (e.key === '/' && !e.ctrlKey && !e.metaKey && !textEntry(e.target)));

/**
 * Find: a search over the cluster's pods, nodes, Services, subnets and routers,
 * by name, namespace (`ns:x`), label (`app=web`) or address. Picking a hit
 * selects it and flies the canvas there. A modal <dialog> (Escape closes it,
 * the focus goes back where it was); the hits are a listbox the arrows walk.
 */
export function FindDialog() {
  const store = useAppStore();
  const scenario = useApp((st) => st.scenario);
  const net = useApp(selectNetwork);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const id = useId();
  const { hits, more } = useMemo(() => findHits(scenario, net, query), [scenario, net, query]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!opensFind(e) || dialog.current?.open) return;
      e.preventDefault();
      opener.current = document.activeElement;
      setActive(0);
      dialog.current?.showModal();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('podhop:find', open);
    function open() {
      opener.current = document.activeElement;
      dialog.current?.showModal();
    }
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('podhop:find', open);
    };
  }, []);

  const pick = (hit: FindHit | undefined) => {
    if (!hit) return;
    store.getState().select({ kind: hit.kind, name: hit.name });
    setQuery('');
    dialog.current?.close();
    flyTo(hit.kind, hit.name);
  };

  const optionId = (i: number) => `${id}-hit-${i}`;
  return (
    <dialog
      ref={dialog}
      className="find-dialog"
      data-testid="find-dialog"
      aria-labelledby={`${id}-title`}
      onClose={() => {
        const back = opener.current;
        if (back instanceof HTMLElement && back.isConnected) back.focus();
      }}
    >
      <form
        className="find-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          pick(hits[active]);
        }}
      >
        <h2 className="find-title" id={`${id}-title`}>
          Find in the cluster
        </h2>
        <input
          className="find-input mono"
          data-testid="find-input"
          type="search"
          role="combobox"
          aria-label="Name, ns:NAMESPACE, label=value or an address"
          aria-expanded={hits.length > 0}
          aria-controls={`${id}-hits`}
          aria-activedescendant={hits[active] ? optionId(active) : undefined}
          aria-autocomplete="list"
          placeholder="pod2a · ns:shop · app=web · 172.17.1.3"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            // a search field's Escape would only clear it: here it closes Find, as in any palette
            if (e.key === 'Escape') {
              e.preventDefault();
              dialog.current?.close();
            }
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const step = e.key === 'ArrowDown' ? 1 : -1;
              setActive((a) => Math.min(Math.max(a + step, 0), Math.max(hits.length - 1, 0)));
            }
          }}
        />
        <ul className="find-hits" id={`${id}-hits`} role="listbox" aria-label="Hits">
          {hits.map((h, i) => (
            <li
              key={`${h.kind}/${h.name}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className="find-hit"
              data-testid={`find-hit-${h.kind}-${h.name}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(h)}
            >
              <span className={`kind-badge kind-${h.kind}`}>{h.kind}</span>{' '}
              <strong className="mono">{h.name}</strong> <span className="muted">{h.detail}</span>
            </li>
          ))}
        </ul>
        <p className="find-foot muted" aria-live="polite">
          {query.trim() === ''
            ? 'Words narrow the search: all must match. Enter picks, ↑ ↓ move, Esc closes.'
            : hits.length === 0
              ? 'Nothing in this cluster matches.'
              : `${hits.length}${more ? '+' : ''} ${hits.length === 1 ? 'hit' : 'hits'}${more ? ': type more to narrow' : ''}`}
        </p>
      </form>
    </dialog>
  );
}

/** For a button elsewhere (the toolbar) to open Find. */
export const openFind = () => window.dispatchEvent(new Event('podhop:find'));
