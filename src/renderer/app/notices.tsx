import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { errorData } from './errors';

export type Notice = {
  id: number;
  kind: 'error' | 'info';
  title: string;
  message: string;
  code: string | null;
};

export type Notify = {
  /** Shows an error (code + message) until the user dismisses it. */
  error: (title: string, error: unknown) => void;
  /** A short confirmation that fades after a few seconds. */
  info: (title: string, message?: string) => void;
};

const NotifyContext = createContext<Notify | null>(null);
const INFO_MS = 5000;
const MAX_NOTICES = 5;

export function useNotify(): Notify {
  const notify = useContext(NotifyContext);
  if (notify === null) throw new Error('useNotify() needs a <NoticeProvider> above it.');
  return notify;
}

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setNotices((all) => all.filter((n) => n.id !== id));
  }, []);

  const push = useCallback(
    (notice: Omit<Notice, 'id'>) => {
      const id = nextId.current++;
      setNotices((all) => [...all, { ...notice, id }].slice(-MAX_NOTICES));
      if (notice.kind === 'info') setTimeout(() => dismiss(id), INFO_MS);
    },
    [dismiss],
  );

  const notify = useMemo<Notify>(
    () => ({
      error: (title, error) => {
        const data = errorData(error);
        push({ kind: 'error', title, message: data.message, code: data.code });
      },
      info: (title, message = '') => push({ kind: 'info', title, message, code: null }),
    }),
    [push],
  );

  return (
    <NotifyContext.Provider value={notify}>
      {children}
      <div className="toasts" aria-live="polite" data-testid="toasts">
        {notices.map((n) => (
          <div
            key={n.id}
            className={`toast toast-${n.kind}`}
            role={n.kind === 'error' ? 'alert' : 'status'}
            data-testid={`toast-${n.kind}`}
          >
            <div className="toast-body">
              <strong className="toast-title">{n.title}</strong>
              {n.code !== null && <code className="toast-code">{n.code}</code>}
              {n.message !== '' && <p className="toast-message">{n.message}</p>}
            </div>
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss"
              onClick={() => dismiss(n.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </NotifyContext.Provider>
  );
}
