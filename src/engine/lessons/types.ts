import type { Network } from '../network/types';
import type { Scenario } from '../scenario/types';
import type { Hop } from '../walk/hop';
import type { ProbeProtocol } from '../walk/probe';

/** The packet a step plays. */
export interface LessonPlay {
  readonly from: string;
  readonly dst: string;
  readonly protocol: ProbeProtocol | 'traceroute';
  readonly dport?: number;
}

/**
 * A question asked before a hop is shown. The answer is read from the trace
 * itself (the tables are the truth), never typed into the lesson.
 */
export interface Prediction {
  readonly question: string;
  /** the hop the learner predicts: the first hop this picks out of the trace */
  readonly at: (hops: readonly Hop[]) => number;
  /** the choices offered, from the network in front of the learner */
  readonly choices: (net: Network, hops: readonly Hop[], at: number) => readonly string[];
  /** the right choice, from what the hop did */
  readonly answer: (hops: readonly Hop[], at: number) => string;
}

export interface LessonStep {
  readonly title: string;
  /**
   * a few short paragraphs; `code` spans in backticks. A step with a question
   * sets the scene here and keeps its answer for `explain`.
   */
  readonly text: readonly string[];
  /** what happened and why: shown once the learner has made the prediction (or at once, without one) */
  readonly explain?: readonly string[];
  /**
   * the objects the step talks about, by name (nodes, pods, routers, subnets):
   * the canvas fits them in view when the step opens. Left out: the selected
   * namespace, the packet's source and the pod it is sent to.
   */
  readonly frame?: readonly string[];
  readonly scenario: () => Scenario;
  /** the namespace to select (its tables shown) when the step opens */
  readonly select?: { readonly kind: 'subnet' | 'router' | 'node' | 'pod'; readonly name: string };
  readonly play?: LessonPlay;
  readonly predict?: Prediction;
}

export interface Lesson {
  readonly id: 'containers' | 'same-node' | 'cross-node';
  readonly title: string;
  readonly question: string;
  readonly steps: readonly LessonStep[];
}
