import { useState } from 'react';
import type { FormEvent } from 'react';
import { participantIdSchema } from '../../../shared/contract/study-methods';
import type { StudySummary } from '../../../shared/contract/study-types';
import { useStudio } from '../../app/studio-context';
import { ErrorLine } from '../../ui/ErrorLine';
import { useAction } from '../../ui/use-action';

/**
 * Who plays next: a pseudonymous id (an existing one resumes where it stopped), optionally how well
 * they know each city, and the study's consent when it has one.
 */
export function JoinForm(props: {
  study: StudySummary;
  onJoined: (participantId: string) => void;
}) {
  const { client } = useStudio();
  const { study } = props;
  const [id, setId] = useState('');
  const [consent, setConsent] = useState(false);
  const [askFamiliarity, setAskFamiliarity] = useState(false);
  const [familiarity, setFamiliarity] = useState<Record<string, number>>(() =>
    Object.fromEntries(study.cities.map((c) => [c, 0])),
  );
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction<void>();
  const { busy, error: failure } = action;

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const parsed = participantIdSchema.safeParse(id);
    if (!parsed.success)
      return setProblem(`Participant id: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    if (study.consentText !== null && !consent)
      return setProblem('Please read and accept the consent text to take part.');
    setProblem(null);
    void action.run(async () => {
      const p = await client.call('participant.join', {
        studyId: study.id,
        participantId: parsed.data,
        acceptConsent: consent,
        familiarity: askFamiliarity ? familiarity : null,
      });
      props.onJoined(p.participantId);
    });
  };

  return (
    <form className="card guess-join" onSubmit={submit} noValidate data-testid="join-form">
      <h2>Who is playing?</h2>
      <p className="muted small">
        Use a pseudonym, not a name. The same id resumes where it stopped; on a shared machine, each
        person plays with their own id.
      </p>
      <fieldset className="ml-fieldset-plain" disabled={busy}>
        <div className="field">
          <label htmlFor="join-id">Participant id</label>
          <input
            id="join-id"
            value={id}
            autoFocus
            autoComplete="off"
            onChange={(e) => setId(e.target.value)}
          />
        </div>
        <label className="guess-check">
          <input
            type="checkbox"
            checked={askFamiliarity}
            onChange={(e) => setAskFamiliarity(e.target.checked)}
          />
          Say how well you know each city (optional)
        </label>
        {askFamiliarity && (
          <div className="guess-familiarity">
            {study.cities.map((city) => (
              <label key={city}>
                <span>{city}</span>
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.25}
                  value={familiarity[city] ?? 0}
                  aria-label={`How well you know ${city}, from never been (0) to live there (1)`}
                  onChange={(e) =>
                    setFamiliarity((f) => ({ ...f, [city]: Number(e.target.value) }))
                  }
                />
                <span className="muted small">{Math.round((familiarity[city] ?? 0) * 100)}%</span>
              </label>
            ))}
          </div>
        )}
        {study.consentText !== null && (
          <div className="guess-consent" data-testid="join-consent">
            <p>{study.consentText}</p>
            <label className="guess-check">
              <input
                type="checkbox"
                checked={consent}
                onChange={(e) => setConsent(e.target.checked)}
              />
              I have read this and agree to take part.
            </label>
          </div>
        )}
      </fieldset>
      {problem !== null && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {failure !== null && <ErrorLine error={failure} />}
      <div className="button-row">
        <button type="submit" className="primary" disabled={busy} data-testid="join-start">
          Start
        </button>
      </div>
    </form>
  );
}
