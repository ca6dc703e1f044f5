import { useState } from 'react';
import type { FormEvent } from 'react';
import { AppError, type AppErrorData } from '../../../shared/contract/errors';
import { useLibrary } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { forgetRecent, loadRecent, rememberRecent } from './recent';
import { useAction } from '../../ui/use-action';
import './open-library.css';
import { Card } from '../../ui/Card';

const HINTS: Partial<Record<AppErrorData['code'], string>> = {
  LIBRARY_NOT_FOUND: 'There is no library in that folder yet. Use “Create” to start one there.',
  SCHEMA_TOO_NEW:
    'This library was written by a newer LittlePlaNet Studio. Update the app to open it.',
};

/** Opens an existing library folder or creates a new one; remembers recent folders locally. */
export function OpenLibraryView(props: { onOpened: () => void }) {
  const { client } = useStudio();
  const { library, setLibrary } = useLibrary();
  const [dir, setDir] = useState(library?.dir ?? '');
  const [recent, setRecent] = useState(() => loadRecent());
  const action = useAction<void>();
  const { busy, error } = action;

  const open = async (target: string, create: boolean): Promise<void> => {
    const path = target.trim();
    if (path === '') {
      action.report(new AppError('BAD_ARGUMENT', 'Type the folder of the library first.'));
      return;
    }
    await action.run(async () => {
      const info = await client.call('library.open', { dir: path, create });
      setRecent(rememberRecent(info.dir));
      setLibrary(info);
      props.onOpened();
    });
  };

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void open(dir, false);
  };

  return (
    <section className="view open-library" aria-labelledby="open-library-title">
      <header className="view-header">
        <h1 id="open-library-title">Open a library</h1>
        <p className="muted">
          A library is a folder holding the photo database, cached thumbnails and trained models.
        </p>
      </header>
      <form className="card open-form" onSubmit={submit} data-testid="open-form">
        <label htmlFor="library-dir">Library folder</label>
        <input
          id="library-dir"
          name="dir"
          type="text"
          placeholder="/home/me/littleplanet-library"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          disabled={busy}
        />
        <div className="button-row">
          <button type="submit" className="primary" disabled={busy}>
            Open
          </button>
          <button type="button" disabled={busy} onClick={() => void open(dir, true)}>
            Create
          </button>
        </div>
        {error !== null && (
          <div className="form-error" role="alert" data-testid="open-error">
            <code>{error.code}</code> {error.message}
            {HINTS[error.code] !== undefined && <p>{HINTS[error.code]}</p>}
          </div>
        )}
      </form>
      {recent.length > 0 && (
        <Card titleId="recent-title" title="Recent libraries">
          <ul className="recent-list">
            {recent.map((d) => (
              <li key={d}>
                <button
                  type="button"
                  className="link-button"
                  disabled={busy}
                  onClick={() => {
                    setDir(d);
                    void open(d, false);
                  }}
                >
                  {d}
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Forget ${d}`}
                  onClick={() => setRecent(forgetRecent(d))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </section>
  );
}
