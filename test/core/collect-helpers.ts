import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '../../src/shared/contract/client';
import type { AppEvent } from '../../src/shared/contract/job-types';
import type { Clock } from '../../src/main/core/collect/clock';
import { abortError } from '../../src/main/core/collect/clock';
import { envSecretStore } from '../../src/main/core/collect/secret-store';
import { inProcessTransport } from '../../src/main/core/in-process-transport';
import { StudioCore } from '../../src/main/core/studio-core';
import type { FakeApi } from './collect-fake-api';

/** A key that must never be found anywhere it could leak (DB, job rows, events, logs, files). */
export const STREETVIEW_KEY = 'AIzaTEST-streetview-9f8e7d6c5b4a';
export const MAPILLARY_TOKEN = 'MLY|4242|mapillary-token-0a1b2c3d';

/** Virtual time: sleeps return at once and move `now` on; every pause is recorded. */
export function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms, signal) => {
      if (signal.aborted) throw abortError();
      sleeps.push(ms);
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) throw abortError();
    },
  };
}

export type CollectStudio = {
  core: StudioCore;
  client: Client;
  dir: string;
  events: AppEvent[];
  clock: ReturnType<typeof fakeClock>;
};

type After = { after(fn: () => void | Promise<void>): void };

/** A core with a new library, the collectors pointed at `api`, keys from a fake environment. */
export async function openCollectStudio(
  t: After,
  api: FakeApi,
  env: NodeJS.ProcessEnv = {
    LITTLEPLANET_STREETVIEW_KEY: STREETVIEW_KEY,
    LITTLEPLANET_MAPILLARY_TOKEN: MAPILLARY_TOKEN,
  },
): Promise<CollectStudio> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-collect-'));
  const clock = fakeClock();
  const core = new StudioCore({
    version: '0.0.0-test',
    ml: false,
    collect: {
      secrets: envSecretStore(env),
      baseUrls: { streetview: api.url, mapillary: api.url },
      clock,
      retries: 3,
      backoffMs: 500,
      maxBackoffMs: 30_000,
    },
  });
  const events: AppEvent[] = [];
  core.subscribe((e) => events.push(e));
  const client = createClient(inProcessTransport(core));
  await client.call('library.open', { dir, create: true });
  t.after(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { core, client, dir, events, clock };
}

/** Every byte the library folder holds in its database files (main file, WAL, journal). */
export function databaseBytes(dir: string): Buffer {
  return Buffer.concat(
    ['library.sqlite', 'library.sqlite-wal', 'library.sqlite-journal']
      .map((name) => join(dir, name))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path)),
  );
}

/** Captures console output (slow-query logs, bookkeeping errors) while `fn` runs. */
export async function captureConsole<T>(fn: () => Promise<T>): Promise<{ value: T; text: string }> {
  const lines: string[] = [];
  const original = { log: console.log, warn: console.warn, error: console.error };
  const record = (...args: unknown[]): void => {
    lines.push(
      args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' '),
    );
  };
  console.log = record;
  console.warn = record;
  console.error = record;
  try {
    const value = await fn();
    return { value, text: lines.join('\n') };
  } finally {
    Object.assign(console, original);
  }
}
