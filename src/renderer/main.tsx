import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from '../shared/contract/client';
import { App } from './app/App';
import { errorData } from './app/errors';
import { LibraryProvider } from './app/library-state';
import { NoticeProvider } from './app/notices';
import { StudioContext } from './app/studio-context';
import { ImportSessionProvider } from './features/import/import-session';
import { pickTransport } from './transport/electron-transport';
import './styles/base.css';
import './styles/shell.css';

function FatalScreen(props: { title: string; code?: string; message: string }) {
  return (
    <main className="fatal" role="alert" data-testid="fatal">
      <img src="icon.svg" alt="" width={64} height={64} />
      <h1>{props.title}</h1>
      <p>
        {props.code !== undefined && <code>{props.code}</code>} {props.message}
      </p>
      <button type="button" className="primary" onClick={() => window.location.reload()}>
        Try again
      </button>
    </main>
  );
}

async function boot(rootElement: HTMLElement): Promise<void> {
  const root = createRoot(rootElement);
  const picked = pickTransport();
  if (!picked.ok) {
    root.render(<FatalScreen title="No access token" message={picked.message} />);
    document.body.dataset.ready = 'error';
    return;
  }
  await picked.ready;
  const client = createClient(picked.transport);
  try {
    const info = await client.call('app.info', {});
    const library = info.libraryOpen ? await client.call('library.info', {}) : null;
    root.render(
      <StrictMode>
        <StudioContext.Provider value={{ client, transport: picked.transport }}>
          <NoticeProvider>
            <LibraryProvider initial={library}>
              <ImportSessionProvider>
                <App version={info.version} />
              </ImportSessionProvider>
            </LibraryProvider>
          </NoticeProvider>
        </StudioContext.Provider>
      </StrictMode>,
    );
  } catch (error) {
    const data = errorData(error);
    root.render(
      <FatalScreen title="Cannot reach the studio" code={data.code} message={data.message} />,
    );
    document.body.dataset.ready = 'error';
  }
}

const rootElement = document.getElementById('root');
if (rootElement !== null) void boot(rootElement);
