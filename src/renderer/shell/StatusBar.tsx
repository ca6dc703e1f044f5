import { useLibrary } from '../app/library-state';
import { useStudio } from '../app/studio-context';

const DOOR_NAMES: Record<string, string> = { electron: 'Electron IPC', http: 'HTTP bridge' };

export function StatusBar(props: { version: string }) {
  const { transport } = useStudio();
  const { library } = useLibrary();
  return (
    <footer className="statusbar" role="contentinfo">
      <span data-testid="status-transport" data-transport={transport.name}>
        {DOOR_NAMES[transport.name] ?? transport.name}
      </span>
      <span className="statusbar-library" data-testid="status-library" title={library?.dir}>
        {library === null ? 'No library open' : library.dir}
      </span>
      {library !== null && <span>schema v{library.schemaVersion}</span>}
      <span>v{props.version}</span>
    </footer>
  );
}
