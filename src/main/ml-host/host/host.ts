import { AppError, toErrorData } from '../../../shared/contract/errors';
import type { ParentChannel } from './channel';
import { isClientMessage, type HostEvent, type HostOpResult, type ServedOpName } from './protocol';

/** What a running op can do besides returning: stream events and notice cancellation. */
export type OpContext = {
  /** Aborted when the client cancels this run. */
  signal: AbortSignal;
  emit(event: HostEvent): void;
  progress(done: number, total: number, message?: string | null): void;
  log(level: 'info' | 'warn', message: string): void;
};

/** Handlers get the raw params (validate them: they crossed a process boundary). */
export type OpHandler<R = unknown> = (params: unknown, ctx: OpContext) => Promise<R>;

/** One handler per op the shipped host serves: the compiler flags a missing or mistyped one. */
export type OpTable = { [K in ServedOpName]: OpHandler<HostOpResult<K>> };

/**
 * Serves requests from the app: looks the op up in `ops`, runs it with its own AbortController
 * (several runs may be in flight), streams its events and answers with its result or its error as
 * data. Announces itself with 'ready' once listening.
 */
export function startHost(channel: ParentChannel, ops: Record<string, OpHandler>): void {
  const running = new Map<string, AbortController>();

  const run = async (id: string, op: string, params: unknown): Promise<void> => {
    const controller = new AbortController();
    running.set(id, controller);
    const emit = (event: HostEvent): void => channel.send({ type: 'event', id, event });
    const ctx: OpContext = {
      signal: controller.signal,
      emit,
      progress: (done, total, message = null) => emit({ kind: 'progress', done, total, message }),
      log: (level, message) => emit({ kind: 'log', level, message }),
    };
    try {
      if (!Object.prototype.hasOwnProperty.call(ops, op)) {
        throw new AppError('NOT_FOUND', `The ML host has no op '${op}'.`);
      }
      const value = await (ops[op] as OpHandler)(params, ctx);
      channel.send({ type: 'result', id, value });
    } catch (error) {
      channel.send({ type: 'error', id, error: toErrorData(error) });
    } finally {
      running.delete(id);
    }
  };

  channel.onMessage((message) => {
    if (!isClientMessage(message)) return;
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    if (running.has(message.id)) {
      channel.send({
        type: 'error',
        id: message.id,
        error: { code: 'CONFLICT', message: `Run ${message.id} is already in flight.` },
      });
      return;
    }
    void run(message.id, message.op, message.params);
  });
  channel.onClose(() => process.exit(0));
  channel.send({ type: 'ready', pid: process.pid });
}
