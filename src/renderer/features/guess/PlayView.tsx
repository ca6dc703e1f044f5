import { useState } from 'react';
import type { StudySummary } from '../../../shared/contract/study-types';
import { pct } from '../../ui/format';
import { JoinForm } from './JoinForm';
import { RoundLoop } from './RoundLoop';

type Seat =
  | { kind: 'join' }
  | { kind: 'play'; participantId: string }
  | {
      kind: 'summary';
      participantId: string;
      answered: number;
      score: { correct: number; answered: number } | null;
    };

/** Playing a study, hot-seat style: a participant joins, plays, and hands over to the next. */
export function PlayView(props: {
  study: StudySummary;
  onExit: () => void;
  onResults: () => void;
}) {
  const { study } = props;
  const [seat, setSeat] = useState<Seat>({ kind: 'join' });
  const nextParticipant = () => setSeat({ kind: 'join' });

  return (
    <div className="guess-play-view" data-testid="play-view">
      <div className="guess-play-head">
        <h2>{study.name}</h2>
        {seat.kind !== 'join' && (
          <span className="muted" data-testid="play-participant">
            Playing as {seat.participantId}
          </span>
        )}
        <div className="button-row">
          {seat.kind === 'play' && (
            <button type="button" onClick={nextParticipant} data-testid="play-switch">
              Next participant
            </button>
          )}
          <button type="button" onClick={props.onExit} data-testid="play-exit">
            Back to studies
          </button>
        </div>
      </div>
      {seat.kind === 'join' && (
        <JoinForm study={study} onJoined={(id) => setSeat({ kind: 'play', participantId: id })} />
      )}
      {seat.kind === 'play' && (
        <RoundLoop
          key={seat.participantId}
          study={study}
          participantId={seat.participantId}
          onDone={(answered, score) =>
            setSeat({ kind: 'summary', participantId: seat.participantId, answered, score })
          }
        />
      )}
      {seat.kind === 'summary' && (
        <section className="card guess-summary" data-testid="play-summary">
          <h2>All done, thank you!</h2>
          <p>
            {seat.participantId} answered {seat.answered} photo{seat.answered === 1 ? '' : 's'}.
            {seat.score !== null && seat.score.answered > 0
              ? ` Score: ${seat.score.correct} of ${seat.score.answered} right (${pct(seat.score.correct / seat.score.answered)}).`
              : ' The answers are revealed with the study’s results.'}
          </p>
          <div className="button-row">
            <button
              type="button"
              className="primary"
              onClick={nextParticipant}
              data-testid="summary-next"
            >
              Next participant
            </button>
            <button type="button" onClick={props.onResults} data-testid="summary-results">
              See the results
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
