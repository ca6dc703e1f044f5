// The live side of label-next: per library and model, the head retrained on the labels given so
// far (kept in memory: it is seconds of work to make again) and the background retrain. After
// every `retrainEvery` labels a retrain starts; a label arriving while one runs replaces it (the
// running job is cancelled and a fresh one starts with every label so far), so retrains never
// queue up behind each other and the head that lands always knows the newest labels.
import type { HeadState } from '../../platform/model-bundle/weights';

export type Session = {
  /** The head retrained on this session's labels; null until the first retrain lands. */
  head: HeadState | null;
  headVersion: number;
  sinceRetrain: number;
  /** The running retrain job, if any. */
  retrainJob: string | null;
};

export class LabelSessions {
  private readonly sessions = new Map<string, Session>();

  /** The session of `modelId` in the library at `dbPath` (made on first use). */
  of(dbPath: string, modelId: string): Session {
    const key = `${dbPath}\n${modelId}`;
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = { head: null, headVersion: 0, sinceRetrain: 0, retrainJob: null };
      this.sessions.set(key, session);
    }
    return session;
  }

  /**
   * Counts one change to the training labels and says what to do about the retrain: start one
   * (the threshold is reached, or one is running and must be replaced by a fresh one), or nothing.
   */
  static afterLabel(session: Session, retrainEvery: number): 'start' | 'replace' | 'none' {
    session.sinceRetrain += 1;
    if (session.retrainJob !== null) return 'replace';
    return session.sinceRetrain >= retrainEvery ? 'start' : 'none';
  }
}
