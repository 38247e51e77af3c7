import { useState, type DragEvent } from 'react';
import { layoutOf } from '../canvas/layout';
import { DND_TYPE, addAndSelect, clickPlacement, type PaletteKind } from '../canvas/placement';
import { armPlacing, disarmPlacing } from '../canvas/placing';
import { selectCanvasModel } from '../canvas/selectors';
import { useApp, useAppStore } from '../storeContext';
import type { AppState } from '../../store/state';

const ITEMS: readonly { kind: PaletteKind; label: string; title: string }[] = [
  { kind: 'subnet', label: 'Subnet', title: 'Add an underlay subnet (a cloud VPC subnet)' },
  { kind: 'router', label: 'Router', title: 'Add a router; drag from its handle to a subnet' },
  { kind: 'node', label: 'Node', title: 'Add a Kubernetes node to the selected subnet' },
  { kind: 'pod', label: 'Pod', title: 'Add a pod to the selected node' },
  {
    kind: 'service',
    label: 'Service',
    title: 'Add a Service: a ClusterIP that kube-proxy DNATs to the pods its selector matches',
  },
];

const onDragStart = (kind: PaletteKind) => (e: DragEvent<HTMLButtonElement>) => {
  armPlacing(kind);
  e.dataTransfer.setData(DND_TYPE, kind);
  e.dataTransfer.setData('text/plain', kind);
  e.dataTransfer.effectAllowed = 'copy';
};

const selectInLesson = (s: AppState) => s.lesson !== null;

/**
 * Things to add: drag one onto the canvas, or click it to add it to the
 * selection. Folded while a lesson is open (the lesson needs the room; it
 * unfolds on a click).
 */
export function Palette() {
  const store = useAppStore();
  const inLesson = useApp(selectInLesson);
  const [message, setMessage] = useState('');
  const add = (kind: PaletteKind) => {
    const st = store.getState();
    const model = selectCanvasModel(st);
    const placement = clickPlacement(layoutOf(model), model, kind, st.selection);
    if (!placement.ok) {
      setMessage(placement.hint);
      return;
    }
    // the new object is selected: the inspector shows it, and the next click adds into it
    addAndSelect(store, placement.edit);
    setMessage('');
  };
  const items = (
    <>
      <div className="palette-items">
        {ITEMS.map((it) => (
          <button
            key={it.kind}
            type="button"
            className={`palette-item palette-${it.kind}`}
            data-testid={`palette-${it.kind}`}
            draggable
            onPointerDown={() => armPlacing(it.kind)}
            onPointerUp={disarmPlacing}
            onDragStart={onDragStart(it.kind)}
            onDragEnd={disarmPlacing}
            onClick={() => add(it.kind)}
            title={it.title}
            aria-label={`Add ${it.label.toLowerCase()}`}
          >
            <span className="palette-icon" aria-hidden="true" />
            {it.label}
          </button>
        ))}
      </div>
      <p className="palette-hint" role="status" aria-live="polite">
        {message ||
          'Drag onto the canvas (a node into a subnet, a pod into a node, a Service anywhere), or click to add to the selection.'}
      </p>
    </>
  );
  if (inLesson)
    return (
      <details className="palette palette-folded">
        <summary className="palette-title">Add to the cluster</summary>
        {items}
      </details>
    );
  return (
    <section className="palette" aria-labelledby="palette-title">
      <h2 id="palette-title" className="palette-title">
        Add
      </h2>
      {items}
    </section>
  );
}
