import { useEffect, useMemo, useRef, useState } from 'react';
import { LESSONS, type LessonPlay, type LessonStep } from '../../engine/index';
import type { PlayedTrace } from '../../store/derived';
import type { AppState } from '../../store/state';
import '../styles/lessons.css';
import { useApp, useAppStore } from '../storeContext';
import { FoldTitle } from '../panels/Fold';
import { HopMask } from './HopMask';
import { LessonText, withCode } from './LessonText';
import { PredictionBox, hopRef, type Answer } from './PredictionBox';
import {
  openStep,
  samePlay,
  selectNetwork,
  selectOpenLesson,
  selectStepTrace,
  type OpenStep,
} from './selectors';
import { useFinishedLessons } from './progress';
import { heldAt, usePredictionGate, type Gate } from './usePredictionGate';

const PROBE_WORDS: Record<LessonPlay['protocol'], string> = {
  icmp: 'ping',
  tcp: 'TCP connect',
  udp: 'UDP datagram',
  traceroute: 'traceroute',
};

const playText = (p: LessonPlay) =>
  `${p.from} → ${p.dst}${p.dport !== undefined ? `:${p.dport}` : ''} (${PROBE_WORDS[p.protocol]})`;

/** The three lessons, when none is open: a compact list to start one, the finished ones marked. */
function LessonList({ onOpen, done }: { onOpen: (id: string) => void; done: ReadonlySet<string> }) {
  const [open, setOpen] = useState(true);
  const first = LESSONS.find((l) => !done.has(l.id));
  return (
    <section
      className="panel lesson-panel lesson-list"
      data-testid="lesson-panel"
      aria-labelledby="lessons-h"
    >
      <FoldTitle id="lessons-h" open={open} onToggle={() => setOpen((o) => !o)}>
        Lessons{' '}
        {done.size > 0 && (
          <span className="muted lesson-done-count">
            ({done.size} of {LESSONS.length} done)
          </span>
        )}
      </FoldTitle>
      {open && done.size === 0 && (
        // what to do first, in one line, before anything else in the column
        <p className="lesson-first" data-testid="first-step">
          New here? Open lesson 1 below — or press <strong>Send</strong> to watch a ping cross the
          cluster.
        </p>
      )}
      {open && (
        <ul className="lesson-items">
          {LESSONS.map((l) => (
            <li key={l.id}>
              <button
                type="button"
                className={`lesson-item${done.has(l.id) ? ' is-done' : ''}`}
                data-testid={`lesson-open-${l.id}`}
                data-done={done.has(l.id) ? 'true' : undefined}
                data-next={l === first && done.size > 0 ? 'true' : undefined}
                onClick={() => onOpen(l.id)}
              >
                <span className="lesson-item-title">
                  {l.title}
                  {done.has(l.id) && (
                    <span className="lesson-item-done" data-testid={`lesson-done-${l.id}`}>
                      ✓ done
                    </span>
                  )}
                </span>
                <span className="lesson-item-q">{l.question}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Prediction = {
  readonly at: number;
  readonly choices: readonly string[];
  readonly answer: string;
};

/** The step's question, computed from the network and the trace in front of the learner. */
function usePrediction(step: LessonStep, trace: PlayedTrace | undefined): Prediction | undefined {
  const net = useApp(selectNetwork);
  return useMemo(() => {
    const p = step.predict;
    if (!p || !net || !trace || trace.hops.length === 0) return undefined;
    const at = Math.min(p.at(trace.hops), trace.hops.length - 1);
    return { at, choices: p.choices(net, trace.hops, at), answer: p.answer(trace.hops, at) };
  }, [step, net, trace]);
}

const selectHop = (s: AppState) => s.hop;
const selectDatapath = (s: AppState) => s.scenario.cluster.datapath;
const selectPlay = (s: AppState) => s.play;
const selectPlaying = (s: AppState) => s.playing;

/** One step of the open lesson: its text, its packet, its question. */
function StepView({
  open,
  answered,
  onAnswer,
  onFinish,
}: {
  open: OpenStep;
  answered: Answer | undefined;
  onAnswer: (a: Answer) => void;
  onFinish: () => void;
}) {
  const store = useAppStore();
  const { lesson, index, step } = open;
  const trace = useApp(selectStepTrace);
  const hop = useApp(selectHop);
  const play = useApp(selectPlay);
  const playing = useApp(selectPlaying);
  const prediction = usePrediction(step, trace);
  const datapath = useApp(selectDatapath);
  // the learner switched the datapath (as a step may ask) or changed the cluster
  // since answering, and the packet in front of them now has another answer: the
  // answer stays, marked as about the packet they answered for
  const stale =
    answered && prediction && prediction.answer !== answered.answer
      ? answered.datapath !== datapath
        ? `(answered in ${answered.datapath} mode — in ${datapath} mode the packet goes another way)`
        : '(answered before the cluster changed — the packet goes another way now)'
      : undefined;
  // still the answer: name the hop as the hop list does now
  const shownAnswer =
    answered && prediction && trace && !stale
      ? { ...answered, hop: hopRef(trace.hops, prediction.at) }
      : answered;

  const pending = prediction && !answered ? prediction : undefined;
  const gate: Gate | undefined = useMemo(
    () => (pending && step.play ? { play: step.play, at: pending.at } : undefined),
    [pending, step.play],
  );
  const release = usePredictionGate(gate);

  const ours = samePlay(play, step.play);
  const last = (trace?.hops.length ?? 1) - 1;
  const waiting = !!pending && ours && hop >= heldAt(pending.at);
  // the packet has reached its last hop: say how it ended, here where the learner reads
  const arrived = !pending && ours && !!trace && trace.hops.length > 0 && hop >= last && !playing;

  /** Plays the step's packet: from where it is, or again from the start once it has arrived. */
  const start = (fromHop?: number) => {
    const st = store.getState();
    if (!step.play) return;
    if (!samePlay(st.play, step.play)) return st.setPlay(step.play);
    if (fromHop !== undefined) st.setHop(fromHop);
    else if (st.hop >= last) st.setHop(0);
    st.setPlaying(true);
  };

  // with a question open, the gate stops the packet before the hop it is about
  const onPlay = () => start();

  const pick = (choice: string) => {
    if (!prediction || !trace) return;
    onAnswer({
      choice,
      answer: prediction.answer,
      hop: hopRef(trace.hops, prediction.at),
      choices: prediction.choices,
      datapath,
    });
    release();
    // let the packet go on to the hop it was held before (and on to the end)
    const st = store.getState();
    if (samePlay(st.play, step.play) && st.hop < last) st.setPlaying(true);
    else start(0);
  };

  const go = (to: number) => store.getState().openLesson(lesson.id, to);

  // a new step starts at its top, even when the side panel was scrolled down to its buttons
  const top = useRef<HTMLElement>(null);
  // (on a phone the page scrolls, and the step's top goes under the canvas pinned above it)
  useEffect(() => {
    const el = top.current;
    const side = el?.closest<HTMLElement>('.side');
    if (!el || !side) return;
    const own = side.scrollHeight > side.clientHeight + 1;
    const box = own ? side : el.closest<HTMLElement>('.workspace');
    if (!box) return;
    const canvas = box.querySelector<HTMLElement>(':scope > .canvas-area');
    const pinned =
      canvas && getComputedStyle(canvas).position === 'sticky'
        ? canvas.getBoundingClientRect().bottom
        : box.getBoundingClientRect().top;
    const above = pinned - el.getBoundingClientRect().top;
    if (above > 0) box.scrollTop -= above + 8;
  }, []);
  const count = lesson.steps.length;
  // folded, the card keeps its title and step: the hops below get the column
  const [folded, setFolded] = useState(false);
  // what happened and why: after the prediction, never above the question it answers
  const explained = !step.predict || !!answered;

  return (
    <section
      ref={top}
      className="panel lesson-panel lesson-open"
      data-testid="lesson-panel"
      aria-labelledby="lesson-h"
    >
      <div className="lesson-head">
        <h2 id="lesson-h" className="lesson-title">
          {lesson.title}
        </h2>
        <button
          type="button"
          className="btn icon ghost lesson-fold"
          data-testid="lesson-fold"
          aria-expanded={!folded}
          aria-controls="lesson-body"
          aria-label={folded ? 'Unfold the lesson' : 'Fold the lesson'}
          title={folded ? 'Unfold the lesson' : 'Fold the lesson (the hops get the room)'}
          onClick={() => setFolded((f) => !f)}
        >
          <span className="fold-caret" aria-hidden="true" />
        </button>
        <button
          type="button"
          className="btn icon ghost lesson-close"
          data-testid="lesson-close"
          aria-label="Close the lesson"
          title="Close the lesson (the cluster stays as it is)"
          onClick={() => store.getState().closeLesson()}
        >
          ✕
        </button>
      </div>
      <div className="lesson-progress">
        <span data-testid="lesson-step">
          Step {index + 1} of {count}
        </span>
        <ol className="lesson-dots" aria-label="Steps">
          {lesson.steps.map((s, i) => (
            <li key={i}>
              <button
                type="button"
                className="lesson-dot"
                aria-label={`Step ${i + 1}: ${s.title}`}
                aria-current={i === index ? 'step' : undefined}
                title={s.title}
                onClick={() => go(i)}
              />
            </li>
          ))}
        </ol>
      </div>
      <h3 className="lesson-step-title" data-testid="lesson-step-title">
        {step.title}
      </h3>
      <div id="lesson-body" className="lesson-body" hidden={folded}>
        <LessonText paragraphs={step.text} />
        {step.predict && prediction && (
          <PredictionBox
            question={step.predict.question}
            choices={prediction.choices}
            answered={shownAnswer}
            stale={stale}
            waiting={waiting}
            onPick={pick}
          />
        )}
        {step.predict && !prediction && (
          <p className="muted hint">
            {withCode(step.predict.question)} (the cluster does not build)
          </p>
        )}
        {explained && step.explain && (
          <div className="lesson-explain" data-testid="lesson-explain">
            <LessonText paragraphs={step.explain} />
          </div>
        )}
        {step.play && (
          <div className="lesson-play-row">
            <button
              type="button"
              className="btn primary"
              data-testid="lesson-play"
              onClick={onPlay}
              disabled={!trace || waiting}
              title={waiting ? 'Answer the question first: the packet waits for it' : undefined}
              aria-pressed={ours && playing}
            >
              ▶ {ours && hop > 0 && hop >= last ? 'Play again' : 'Play'}
            </button>
            <span className="lesson-play-what">{playText(step.play)}</span>
          </div>
        )}
        {arrived && trace && (
          <p
            className={`lesson-verdict ${trace.verdict.ok ? 'is-ok' : 'is-fail'}`}
            data-testid="lesson-verdict"
          >
            <span className="lesson-verdict-tag">
              {trace.verdict.ok ? 'Outcome ✓' : 'Outcome ✗'}
            </span>{' '}
            <code>{trace.verdict.text}</code>
          </p>
        )}
        <div className="lesson-nav">
          <button
            type="button"
            className="btn"
            data-testid="lesson-prev"
            disabled={index === 0}
            onClick={() => go(index - 1)}
          >
            ← Back
          </button>
          <button
            type="button"
            className="btn"
            data-testid="lesson-next"
            onClick={() => {
              if (index + 1 < count) return go(index + 1);
              onFinish();
              store.getState().closeLesson();
            }}
          >
            {index + 1 < count ? 'Next →' : 'Finish ✓'}
          </button>
        </div>
      </div>
      {pending && ours && <HopMask from={pending.at} />}
    </section>
  );
}

/**
 * The lessons: a list to start one, or the open step (text, a packet to play,
 * a question to answer before the packet reaches the hop it is about).
 */
export function LessonPanel() {
  const store = useAppStore();
  const open = openStep(useApp(selectOpenLesson));
  // answers live as long as the panel: going back to a step shows what was picked
  const [answers, setAnswers] = useState<Readonly<Record<string, Answer>>>({});
  const [done, finish] = useFinishedLessons();
  if (!open) {
    // starting a lesson from the list starts its questions afresh
    const onOpen = (id: string) => {
      setAnswers((m) =>
        Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith(`${id}/`))),
      );
      store.getState().openLesson(id, 0);
    };
    return <LessonList onOpen={onOpen} done={done} />;
  }
  const key = `${open.lesson.id}/${open.index}`;
  return (
    <StepView
      key={key}
      open={open}
      answered={answers[key]}
      onAnswer={(a) => setAnswers((m) => ({ ...m, [key]: a }))}
      onFinish={() => finish(open.lesson.id)}
    />
  );
}
