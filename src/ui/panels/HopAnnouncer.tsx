import { selectTrace } from '../../store/derived';
import type { AppState } from '../../store/state';
import { useApp } from '../storeContext';

/** "Hop 3 of 12: node1 routes 172.17.2.2 via flannel.1", for screen readers, whenever the hop changes. */
function announcement(s: AppState): string {
  const hops = selectTrace(s)?.hops ?? [];
  if (hops.length === 0) return '';
  const at = Math.min(s.hop, hops.length - 1);
  const h = hops[at];
  return h ? `Hop ${at + 1} of ${hops.length}: ${h.title}` : '';
}

export function HopAnnouncer() {
  const text = useApp(announcement);
  return (
    <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="hop-announcer">
      {text}
    </div>
  );
}
