import { useLibrary } from '../app/library-state';
import { useStudio } from '../app/studio-context';
import type { JobKind } from '../../shared/contract/job-types';
import { backendLabel } from './backend-status';
import { useRunningJobs } from './use-running-jobs';
import { useStatusBackend } from './use-status-backend';

const DOOR_NAMES: Record<string, string> = { electron: 'Electron IPC', http: 'HTTP bridge' };
const KIND_NAMES: Record<JobKind, string> = {
  import: 'import',
  backbone: 'backbone',
  features: 'features',
  train: 'training',
  evaluate: 'evaluation',
  predict: 'prediction',
  explain: 'explanation',
  embed: 'feature map',
  maximise: 'city images',
  geolocate: 'geolocation',
  collect: 'collecting',
  'label-rank': 'label queue',
  'label-train': 'retraining the label queue',
  'label-control': 'random control',
  suspects: 'suspect labels',
};

export function StatusBar(props: { version: string }) {
  const { transport } = useStudio();
  const { library } = useLibrary();
  const backend = useStatusBackend();
  const running = useRunningJobs();
  return (
    <footer className="statusbar" role="contentinfo">
      <span data-testid="status-transport" data-transport={transport.name}>
        {DOOR_NAMES[transport.name] ?? transport.name}
      </span>
      <span className="statusbar-library" data-testid="status-library" title={library?.dir}>
        {library === null ? 'No library open' : library.dir}
      </span>
      <span
        data-testid="status-jobs"
        data-count={running.length}
        title={running.map((r) => `${KIND_NAMES[r.kind]}: ${r.status}`).join('\n') || undefined}
      >
        {running.length === 0
          ? 'No jobs running'
          : `${running.length} job${running.length === 1 ? '' : 's'} running`}
      </span>
      <span
        data-testid="status-backend"
        data-backend={backend === null ? '' : backendLabel(backend)}
        title={
          backend?.reason ??
          'The TensorFlow.js backend is chosen when the ML host first starts (Models, Train or an ML job).'
        }
      >
        {backend === null ? 'Backend: not started' : `Backend: ${backendLabel(backend)}`}
      </span>
      {library !== null && <span>schema v{library.schemaVersion}</span>}
      <span>v{props.version}</span>
    </footer>
  );
}
