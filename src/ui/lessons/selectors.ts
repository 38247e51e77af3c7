import { lessonById, type Lesson, type LessonStep, type Network } from '../../engine/index';
import { selectNetwork, traceOf, type PlayedTrace } from '../../store/derived';
import type { AppState, PlayRequest } from '../../store/state';

/** The open lesson and its step, looked up from the store's `{ id, step }`. */
export type OpenStep = {
  readonly lesson: Lesson;
  readonly index: number;
  readonly step: LessonStep;
};

export function openStep(open: AppState['lesson']): OpenStep | undefined {
  if (!open) return undefined;
  const lesson = lessonById(open.id);
  const step = lesson?.steps[open.step];
  return lesson && step ? { lesson, index: open.step, step } : undefined;
}

export const selectOpenLesson = (st: AppState): AppState['lesson'] => st.lesson;
export { selectNetwork };

/**
 * The trace of the step's packet in the network in front of the learner — the
 * store's own memoised trace (the one `selectTrace` gives while that packet is
 * played), so predictions and the hop list read the same hops.
 */
export function selectStepTrace(st: AppState): PlayedTrace | undefined {
  const play = openStep(st.lesson)?.step.play;
  const net: Network | undefined = selectNetwork(st);
  return play && net ? traceOf(net, play) : undefined;
}

/** Whether the store is playing this packet (the learner may have sent another one meanwhile). */
export function samePlay(a: PlayRequest | null | undefined, b: PlayRequest | undefined): boolean {
  return (
    !!a &&
    !!b &&
    a.from === b.from &&
    a.dst === b.dst &&
    a.protocol === b.protocol &&
    a.dport === b.dport &&
    a.ttl === b.ttl
  );
}
