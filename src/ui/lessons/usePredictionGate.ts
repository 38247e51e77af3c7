import { useCallback, useEffect, useRef } from 'react';
import type { AppState, PlayRequest } from '../../store/state';
import { useAppStore } from '../storeContext';
import { samePlay } from './selectors';

/** The packet of a step with an open question, and the hop the question is about. */
export type Gate = { readonly play: PlayRequest; readonly at: number };

/** The last hop the packet may show before the learner has answered. */
export const heldAt = (at: number) => Math.max(0, at - 1);

/**
 * Holds the step's packet before the predicted hop until the learner answers:
 * playback pauses on the hop before it, and stepping or clicking further snaps
 * back (a packet the learner sends themselves is left alone).
 */
export function usePredictionGate(gate: Gate | undefined): () => void {
  const store = useAppStore();
  const play = gate?.play;
  const at = gate?.at;
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!play || at === undefined) return;
    const last = heldAt(at);
    const hold = (st: AppState) => {
      if (!samePlay(st.play, play)) return;
      if (st.hop > last) st.setHop(last);
      else if (st.playing && st.hop >= last) st.setPlaying(false);
    };
    hold(store.getState());
    const unsubscribe = store.subscribe(hold);
    stop.current = unsubscribe;
    return () => {
      unsubscribe();
      stop.current = null;
    };
  }, [store, play, at]);
  /** lets the packet go at once (the answer is in; React drops the gate on its next render) */
  return useCallback(() => stop.current?.(), []);
}
