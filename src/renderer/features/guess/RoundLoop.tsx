import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppErrorData } from '../../../shared/contract/errors';
import type { RoundPrompt, RoundReveal, StudySummary } from '../../../shared/contract/study-types';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { CityButtons } from './CityButtons';
import { countdownLevel, formatCountdown, onTimeUp } from './countdown';
import { stepConfidence, type KeyAction } from './keys';
import { RevealPanel } from './RevealPanel';
import { useCountdown } from './use-countdown';
import { usePlayKeys } from './use-play-keys';

type Step =
  | { kind: 'loading' }
  | { kind: 'waiting' }
  | { kind: 'guess'; prompt: RoundPrompt }
  | { kind: 'reveal'; prompt: RoundPrompt; guess: string; reveal: RoundReveal }
  | { kind: 'done'; answered: number };

type Score = { correct: number; answered: number } | null;

const RETRY_MS = 1500;

/**
 * One participant's rounds: photo, guess, commit, (reveal), next, until the study's rounds are
 * done. The server keeps the state, so leaving and coming back resumes at the open photo.
 */
export function RoundLoop(props: {
  study: StudySummary;
  participantId: string;
  onDone: (answered: number, score: Score) => void;
}) {
  const { client, transport } = useStudio();
  const { study, participantId } = props;
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const [selected, setSelected] = useState<number | null>(null);
  const [confidence, setConfidence] = useState<number | null>(null);
  const [loadedAt, setLoadedAt] = useState<number | null>(null);
  const [late, setLate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorData | null>(null);
  const [score, setScore] = useState<Score>(null);
  const alive = useRef(true);
  const timeUpDone = useRef(false);

  const next = useCallback(() => {
    setStep({ kind: 'loading' });
    client.call('round.next', { studyId: study.id, participantId }).then(
      (r) => {
        if (!alive.current) return;
        if (r.done) return setStep({ kind: 'done', answered: r.answered });
        setSelected(null);
        setConfidence(null);
        setLoadedAt(null);
        setLate(false);
        timeUpDone.current = false;
        setScore(r.score);
        setStep({ kind: 'guess', prompt: r });
      },
      (e: unknown) => {
        if (!alive.current) return;
        const data = errorData(e);
        // The model's answers are still being stored: wait and ask again.
        if (data.code === 'CONFLICT') {
          setStep({ kind: 'waiting' });
          setTimeout(() => alive.current && next(), RETRY_MS);
        } else setError(data);
      },
    );
  }, [client, study.id, participantId]);

  useEffect(() => {
    alive.current = true;
    next();
    return () => {
      alive.current = false;
    };
  }, [next]);

  // Read at the end only, so a parent re-render (new callback identity) changes nothing.
  const onDone = useRef(props.onDone);
  onDone.current = props.onDone;
  const finalScore = useRef<Score>(null);
  finalScore.current = score;
  useEffect(() => {
    if (step.kind === 'done') onDone.current(step.answered, finalScore.current);
  }, [step]);

  const commit = (): void => {
    if (step.kind !== 'guess' || selected === null || loadedAt === null || busy) return;
    const guess = study.cities[selected];
    if (guess === undefined) return;
    const responseMs = Math.max(0, Math.round(performance.now() - loadedAt));
    setBusy(true);
    setError(null);
    client
      .call('round.answer', {
        studyId: study.id,
        participantId,
        imageId: step.prompt.imageId,
        guess,
        confidence,
        responseMs,
      })
      .then(
        (answer) => {
          setBusy(false);
          if (answer.revealed === null) return next();
          const correct = answer.revealed.correct ? 1 : 0;
          setScore((s) =>
            s === null ? s : { correct: s.correct + correct, answered: s.answered + 1 },
          );
          setStep({ kind: 'reveal', prompt: step.prompt, guess, reveal: answer.revealed });
        },
        (e: unknown) => {
          setBusy(false);
          setError(errorData(e));
        },
      );
  };

  const remaining = useCountdown(
    step.kind === 'guess' ? step.prompt.timeLimitMs : null,
    step.kind === 'guess' ? loadedAt : null,
  );
  useEffect(() => {
    if (remaining !== 0 || timeUpDone.current || step.kind !== 'guess') return;
    timeUpDone.current = true;
    if (onTimeUp(selected) === 'commit') commit();
    else setLate(true);
  });

  const onKey = (action: KeyAction): void => {
    if (action.type === 'next') return next();
    if (action.type === 'select') return setSelected(action.index);
    if (action.type === 'confidence') return setConfidence((c) => stepConfidence(c, action.delta));
    commit();
  };
  usePlayKeys(
    step.kind === 'guess' ? 'guessing' : step.kind === 'reveal' ? 'revealed' : null,
    study.cities.length,
    onKey,
  );

  if (step.kind === 'loading' || step.kind === 'done')
    return error === null ? (
      <p className="muted">Loading the next photo…</p>
    ) : (
      <ErrorLine error={error} />
    );
  if (step.kind === 'waiting')
    return (
      <p className="muted" data-testid="play-waiting">
        The model’s answers for this study are still being computed; the game starts as soon as they
        are in.
      </p>
    );

  const { prompt } = step;
  const level = remaining === null ? null : countdownLevel(remaining, prompt.timeLimitMs ?? 1);
  return (
    <div className="guess-play" data-testid="play" data-round={prompt.round} data-step={step.kind}>
      <div className="guess-play-bar">
        <span data-testid="play-round">
          Photo {prompt.round} of {prompt.rounds}
        </span>
        {score !== null && (
          <span
            data-testid="play-score"
            data-correct={score.correct}
            data-answered={score.answered}
          >
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
      <div className="guess-stage">
        <img
          key={prompt.imageId}
          className="guess-photo"
          src={transport.assetUrl('norm', prompt.imageId)}
          alt={`Photo ${prompt.round} of ${prompt.rounds}`}
          data-testid="round-photo"
          data-loaded={loadedAt !== null}
          onLoad={() => setLoadedAt((t) => t ?? performance.now())}
          // A photo that fails to load can still be guessed (as "no idea"): time from now.
          onError={() => setLoadedAt((t) => t ?? performance.now())}
        />
        <div className="guess-side">
          {step.kind === 'guess' ? (
            <>
              <p className="muted small">
                Pick the city: click or press its number, then Enter to commit.
              </p>
              <CityButtons
                cities={study.cities}
                selected={selected}
                disabled={busy}
                onSelect={setSelected}
              />
              <label className="guess-confidence">
                <span>
                  Confidence (optional, ↑/↓):{' '}
                  <strong data-testid="play-confidence">
                    {confidence === null ? 'not set' : `${Math.round(confidence * 100)}%`}
                  </strong>
                </span>
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.1}
                  value={confidence ?? 0.5}
                  onChange={(e) => setConfidence(Number(e.target.value))}
                />
              </label>
              {late && (
                <p className="form-error" role="alert" data-testid="play-late">
                  Time is up. Pick a city to go on; this guess is recorded as late.
                </p>
              )}
              <button
                type="button"
                className="primary"
                disabled={selected === null || loadedAt === null || busy}
                onClick={commit}
                data-testid="round-commit"
                aria-keyshortcuts="Enter"
              >
                Commit guess <kbd>Enter</kbd>
              </button>
            </>
          ) : (
            <RevealPanel guess={step.guess} reveal={step.reveal} onNext={next} />
          )}
          {error !== null && <ErrorLine error={error} />}
        </div>
      </div>
    </div>
  );
}
