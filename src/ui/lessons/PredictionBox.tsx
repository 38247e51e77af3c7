import type { Hop } from '../../engine/index';
import { withCode } from './LessonText';

/** The learner's pick, and the right answer read from the trace when they picked. */
export type Answer = {
  readonly choice: string;
  readonly answer: string;
  /** the hop the question was about, as the hop list names it */
  readonly hop?: { readonly index: number; readonly title: string };
  /** the choices as they were offered (a route question's choices follow the table) */
  readonly choices: readonly string[];
  /** the datapath when they answered */
  readonly datapath: string;
};

/** Route lines and the like read as code; plain sentences do not. */
const looksLikeCode = (t: string) => /\bdev \S+/.test(t) || /^(default|\d+\.\d+\.)/.test(t);

function ChoiceText({ text }: { text: string }) {
  return looksLikeCode(text) ? <code>{text}</code> : <>{text}</>;
}

export function PredictionBox({
  question,
  choices,
  answered,
  stale,
  waiting,
  onPick,
}: {
  question: string;
  choices: readonly string[];
  answered: Answer | undefined;
  /**
   * the packet in front of the learner no longer has that answer (the datapath
   * or the cluster changed since): says so, instead of a verdict that
   * contradicts the new outcome
   */
  stale?: string;
  /** the packet is held before the predicted hop */
  waiting: boolean;
  onPick: (choice: string) => void;
}) {
  const right = answered && answered.choice === answered.answer;
  const shown = answered ? answered.choices : choices;
  const tone = stale ? 'is-stale' : right ? 'is-right' : 'is-wrong';
  return (
    <div
      className={`lesson-predict${answered ? ' answered' : ''}`}
      data-stale={stale ? 'true' : undefined}
      data-testid="lesson-predict"
      role="group"
      aria-labelledby="lesson-predict-q"
    >
      <p id="lesson-predict-q" className="lesson-question">
        <span className="lesson-predict-tag">Predict</span> {withCode(question)}
      </p>
      {!answered && waiting && (
        <p className="lesson-waiting" data-testid="lesson-waiting">
          The packet waits here: pick an answer to let it go on.
        </p>
      )}
      <ul className="lesson-choices">
        {shown.map((c) => {
          const state = !answered
            ? undefined
            : c === answered.answer
              ? 'right'
              : c === answered.choice
                ? 'wrong'
                : undefined;
          return (
            <li key={c}>
              <button
                type="button"
                className="lesson-choice"
                data-testid="predict-choice"
                data-state={state}
                aria-pressed={answered ? c === answered.choice : undefined}
                disabled={!!answered}
                onClick={() => onPick(c)}
              >
                <ChoiceText text={c} />
              </button>
            </li>
          );
        })}
      </ul>
      {/* always present, so a screen reader hears the verdict when it appears */}
      <div role="status" aria-live="polite" data-testid="predict-result">
        {answered && (
          <p className={`lesson-result ${tone}`}>
            <span>
              {right ? (
                <>
                  <strong>Right</strong> — <ChoiceText text={answered.answer} />.
                </>
              ) : (
                <>
                  <strong>Not quite</strong> — the answer is <ChoiceText text={answered.answer} />.
                </>
              )}
            </span>
            {answered.hop && (
              <span className="lesson-result-hop">
                Hop {answered.hop.index + 1}: {answered.hop.title}
              </span>
            )}
            {stale && (
              <span className="lesson-result-stale" data-testid="predict-stale">
                {stale}
              </span>
            )}
          </p>
        )}
      </div>
    </div>
  );
}

export const hopRef = (hops: readonly Hop[], at: number): Answer['hop'] => {
  const h = hops[at];
  return h ? { index: at, title: h.title } : undefined;
};
