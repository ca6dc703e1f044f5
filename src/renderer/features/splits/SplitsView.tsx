import { useRevisionKey } from '../../app/library-state';
import { useStudio } from '../../app/studio-context';
import { useLoad } from '../../app/use-load';
import { SplitPanel } from './SplitPanel';
import { StatsPanel } from './StatsPanel';
import './splits.css';

export function SplitsView() {
  const { client } = useStudio();
  const key = useRevisionKey('images', 'labels', 'cities', 'splits');
  const stats = useLoad(() => client.call('library.stats', {}), key);
  return (
    <section className="view splits-view" aria-labelledby="splits-title">
      <header className="view-header">
        <h1 id="splits-title">Splits &amp; stats</h1>
      </header>
      <SplitPanel />
      <div className="stats" data-testid="stats" data-state={stats.state}>
        {stats.state === 'error' && (
          <p className="form-error" role="alert">
            <code>{stats.error.code}</code> {stats.error.message}
          </p>
        )}
        {stats.value !== null && <StatsPanel stats={stats.value} />}
      </div>
    </section>
  );
}
