/**
 * Worker-thread entry of an import: its own database connection, sharp decoding, and messages
 * to the main thread (progress, commits, the final report). Cancel arrives as a message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorData } from '../../../shared/contract/errors';
import { closeDatabase, openDatabase } from '../../platform/open-database';
import { runImport, type ImportOptions } from './importer';
import { useOneVipsThreadPerImage } from '../../platform/image/render';
import type { ImportWorkerMessage, ImportWorkerRequest } from './import-messages';

const PROGRESS_POST_MS = 50;

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('import-worker must run in a worker thread');
  const input = workerData as ImportOptions & { dbPath: string };
  const post = (message: ImportWorkerMessage): void => port.postMessage(message);

  let cancelled = false;
  port.on('message', (message: ImportWorkerRequest) => {
    if (message.type === 'cancel') cancelled = true;
  });

  useOneVipsThreadPerImage();
  const db = openDatabase(input.dbPath);
  let lastPost = 0;
  let unsent: ImportWorkerMessage | null = null;
  try {
    const report = await runImport(db, input, {
      isCancelled: () => cancelled,
      progress: (done, total, message) => {
        unsent = { type: 'progress', done, total, message };
        const now = Date.now();
        if (now - lastPost < PROGRESS_POST_MS && done !== total) return;
        lastPost = now;
        post(unsent);
        unsent = null;
      },
      committed: (count) => post({ type: 'committed', count }),
    });
    // The throttle may have held back the last count (e.g. when cancelled part way).
    if (unsent !== null) post(unsent);
    post({ type: 'done', report, cancelled });
  } catch (error) {
    post({ type: 'failed', error: toErrorData(error) });
  } finally {
    closeDatabase(db);
    port.close();
  }
}

void main();
