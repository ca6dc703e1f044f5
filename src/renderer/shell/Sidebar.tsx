import type { ViewSpec } from '../app/views';
import { JobsPanel } from '../features/jobs/JobsPanel';

const GROUPS: ViewSpec['group'][] = ['Data', 'Model', 'Explore'];

export function Sidebar(props: {
  views: readonly ViewSpec[];
  current: string;
  libraryOpen: boolean;
  onNavigate: (id: string) => void;
  onSwitchLibrary: () => void;
}) {
  return (
    <aside className="sidebar">
      <div className="brand">
        <img src="icon.svg" alt="" width={28} height={28} />
        <span>LittlePlaNet Studio</span>
      </div>
      <button
        type="button"
        className="switch-library"
        onClick={props.onSwitchLibrary}
        aria-current={props.current === 'open' ? 'page' : undefined}
      >
        {props.libraryOpen ? 'Switch library…' : 'Open a library…'}
      </button>
      <nav aria-label="Main">
        {GROUPS.map((group) => {
          const views = props.views.filter((v) => v.group === group);
          if (views.length === 0) return null;
          return (
            <div key={group} className="nav-group">
              <h2 className="nav-heading">{group}</h2>
              <ul>
                {views.map((v) => (
                  <li key={v.id}>
                    <button
                      type="button"
                      className="nav-item"
                      data-testid={`nav-${v.id}`}
                      aria-current={props.current === v.id ? 'page' : undefined}
                      disabled={!props.libraryOpen}
                      onClick={() => props.onNavigate(v.id)}
                    >
                      {v.label}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <JobsPanel />
    </aside>
  );
}
