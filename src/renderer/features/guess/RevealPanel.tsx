import { useEffect, useRef } from 'react';
import type { RoundReveal } from '../../../shared/contract/study-types';
import { pct } from '../../ui/format';

/** After a guess in 'reveal' mode: the truth, right or wrong, and what the model said. */
export function RevealPanel(props: { guess: string; reveal: RoundReveal; onNext: () => void }) {
  const { reveal } = props;
  const next = useRef<HTMLButtonElement>(null);
  // Focus moves to "Next photo" so Enter or Space continues even for screen-reader users.
  useEffect(() => next.current?.focus(), []);
  return (
    <section
      className={`card guess-reveal ${reveal.correct ? 'guess-right' : 'guess-wrong'}`}
      aria-live="polite"
      data-testid="reveal"
      data-truth={reveal.truth}
      data-correct={reveal.correct}
      data-model-city={reveal.model?.city ?? ''}
    >
      <p className="guess-verdict" data-testid="reveal-verdict">
        {reveal.correct ? 'Right!' : 'Not this time.'} It was{' '}
        <strong data-testid="reveal-truth">{reveal.truth}</strong>; you said {props.guess}.
      </p>
      {reveal.model === null ? (
        <p className="muted">This study has no model to compare with.</p>
      ) : (
        <div data-testid="reveal-model">
          <p>
            The model said <strong>{reveal.model.city}</strong> (
            {reveal.model.correct ? 'right' : 'wrong'}):
          </p>
          <ol className="guess-top3">
            {reveal.model.top3.map((c) => (
              <li key={c.city} data-testid="reveal-top">
                <span>{c.city}</span>
                <span className="guess-bar" aria-hidden="true">
                  <span style={{ width: `${Math.round(c.probability * 100)}%` }} />
                </span>
                <span className="num">{pct(c.probability)}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
      <div className="button-row">
        <button
          ref={next}
          type="button"
          className="primary"
          onClick={props.onNext}
          data-testid="reveal-next"
          aria-keyshortcuts="Enter Space"
        >
          Next photo <kbd>Enter</kbd>
        </button>
      </div>
    </section>
  );
}
