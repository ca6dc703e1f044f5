import type { RoundPrompt } from '../../../shared/contract/study-types';
import { countdownLevel, formatCountdown } from './countdown';

/** Above the photo: which round, the score so far (reveal mode) and the time left. */
export function PlayBar(props: {
  prompt: RoundPrompt;
  score: { correct: number; answered: number } | null;
  /** Milliseconds left, or null without a time limit. */
  remaining: number | null;
}) {
  const { prompt, score, remaining } = props;
  const level = remaining === null ? null : countdownLevel(remaining, prompt.timeLimitMs ?? 1);
  return (
    <div className="guess-play-bar">
      <span data-testid="play-round">
        Photo {prompt.round} of {prompt.rounds}
      </span>
      {score !== null && (
        <span data-testid="play-score" data-correct={score.correct} data-answered={score.answered}>
          Score {score.correct} / {score.answered}
        </span>
      )}
      {remaining !== null && level !== null && (
        <span
          className={`guess-countdown guess-countdown-${level}`}
          role="timer"
          aria-label="Time left"
          data-testid="countdown"
        >
          {formatCountdown(remaining)}
        </span>
      )}
    </div>
  );
}
