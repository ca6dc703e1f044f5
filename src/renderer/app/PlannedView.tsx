import type { ReactNode } from 'react';
import { navigate } from '../features/ml/nav';
import './planned.css';

export type PlannedAction = { label: string; view: string };

/**
 * A screen the navigation already names but this version does not have yet: it says what the
 * screen will do and sends the user to a screen that helps today, instead of a blank page.
 */
export function PlannedView(props: {
  id: string;
  title: string;
  children: ReactNode;
  actions: readonly PlannedAction[];
}) {
  const titleId = `${props.id}-title`;
  return (
    <section className="view" aria-labelledby={titleId}>
      <header className="view-header">
        <h1 id={titleId}>{props.title}</h1>
      </header>
      <div className="card empty-state planned" data-testid={`${props.id}-empty`}>
        {props.children}
        <p className="muted">Not available in this version yet.</p>
        <div className="planned-actions">
          {props.actions.map((a, i) => (
            <button
              key={a.view}
              type="button"
              className={i === 0 ? 'primary' : undefined}
              onClick={() => navigate(a.view)}
            >
              {a.label}
            </button>
          ))}
        </div>
      </div>
    </section>
  );
}
