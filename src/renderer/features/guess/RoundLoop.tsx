import { useCallback, useEffect, useRef, useState } from 'react';
import type { RoundPrompt, RoundReveal, StudySummary } from '../../../shared/contract/study-types';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { useAction } from '../../ui/use-action';
import { onTimeUp } from './countdown';
import { GuessControls } from './GuessControls';
import { stepConfidence, type KeyAction } from './keys';
import { PlayBar } from './PlayBar';
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
  const action = useAction<void>();
  const { busy, error } = action;
  const [score, setScore] = useState<Score>(null);
  const { report } = action;
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
        } else report(e);
      },
    );
  }, [client, study.id, participantId, report]);

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
    const { prompt } = step;
    void action.run(async () => {
      const answer = await client.call('round.answer', {
        studyId: study.id,
        participantId,
        imageId: prompt.imageId,
        guess,
        confidence,
        responseMs,
      });
      if (answer.revealed === null) return next();
      const correct = answer.revealed.correct ? 1 : 0;
      setScore((s) =>
        s === null ? s : { correct: s.correct + correct, answered: s.answered + 1 },
      );
      setStep({ kind: 'reveal', prompt, guess, reveal: answer.revealed });
    });
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
  return (
    <div className="guess-play" data-testid="play" data-round={prompt.round} data-step={step.kind}>
      <PlayBar prompt={prompt} score={score} remaining={remaining} />
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
            <GuessControls
              cities={study.cities}
              selected={selected}
              onSelect={setSelected}
              confidence={confidence}
              onConfidence={setConfidence}
              late={late}
              canCommit={selected !== null && loadedAt !== null}
              busy={busy}
              onCommit={commit}
            />
          ) : (
            <RevealPanel guess={step.guess} reveal={step.reveal} onNext={next} />
          )}
          {error !== null && <ErrorLine error={error} />}
        </div>
      </div>
    </div>
  );
}
