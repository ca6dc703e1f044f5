import { useState } from 'react';
import type { FormEvent } from 'react';
import type { CollectProvider } from '../../../shared/contract/collect-types';
import { errorData } from '../../app/errors';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import type { AppErrorData } from '../../../shared/contract/errors';
import { ErrorLine } from '../../ui/ErrorLine';
import { PROVIDER_NAMES } from './collect-form';

/**
 * The provider's key: whether one is set and where it is kept. The key field is write-only: the
 * core never sends a key back, so nothing here can show one.
 */
export function KeyCard(props: { provider: CollectProvider; onChange: () => void }) {
  const { client } = useStudio();
  const [draft, setDraft] = useState('');
  // Where the disk store only obfuscates (Linux without a keyring), saving is the person's choice.
  const [persist, setPersist] = useState(false);
  const [error, setError] = useState<AppErrorData | null>(null);
  const [nonce, setNonce] = useState(0);
  const status = useLoad(
    () => client.call('collect.key.status', { provider: props.provider }),
    `${props.provider}.${nonce}`,
  );
  const done = (): void => {
    setNonce((n) => n + 1);
    props.onChange();
  };

  const save = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setError(null);
    client.call('collect.key.set', { provider: props.provider, key: draft, persist }).then(
      () => {
        setDraft('');
        done();
      },
      (e: unknown) => setError(errorData(e)),
    );
  };
  const clear = (): void => {
    setError(null);
    client
      .call('collect.key.clear', { provider: props.provider })
      .then(done, (e: unknown) => setError(errorData(e)));
  };

  const value = status.value;
  return (
    <section
      className="card collect-key"
      aria-labelledby="collect-key-title"
      data-testid="collect-key"
    >
      <h2 id="collect-key-title">{PROVIDER_NAMES[props.provider]} key</h2>
      {value !== null && (
        <p data-testid="collect-key-status" data-set={value.set} data-place={value.place}>
          <strong>{value.set ? 'Key set.' : 'No key.'}</strong>{' '}
          <span className="muted">{value.note}</span>
        </p>
      )}
      {status.error !== null && <ErrorLine error={status.error} />}
      <form className="collect-key-form" onSubmit={save}>
        <label htmlFor="collect-key-input" className="visually-hidden">
          New key
        </label>
        <input
          id="collect-key-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={props.provider === 'streetview' ? 'API key (AIza…)' : 'Access token (MLY|…)'}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          disabled={value?.writable === false}
        />
        <button type="submit" disabled={draft.trim() === ''}>
          Set key
        </button>
        <button
          type="button"
          onClick={clear}
          disabled={value?.place !== 'safe-storage' && value?.place !== 'session'}
        >
          Clear
        </button>
      </form>
      {value?.weakDiskEncryption === true && (
        <label className="collect-key-persist">
          <input
            type="checkbox"
            checked={persist}
            onChange={(e) => setPersist(e.target.checked)}
            data-testid="collect-key-persist"
          />{' '}
          Save the key to disk anyway (only obfuscated, not encrypted: without a keyring anyone who
          can read your files can read it). Unticked, it is kept until the app closes.
        </label>
      )}
      {error !== null && <ErrorLine error={error} />}
    </section>
  );
}
