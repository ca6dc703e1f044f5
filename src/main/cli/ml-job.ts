import type { JobEvent, JobKind, JobResults } from '../../shared/contract/job-types';
import type { JobMethodName, Methods, ParamsIn } from '../../shared/contract/methods';
import { UsageError } from './args';
import type { CommandContext, OptionValue } from './command';
import { progressReporter } from './progress-reporter';
import { interruptCancels } from './interrupt-cancels';

/** What `client.runJob(method)` resolves with. */
export type JobResultOf<K extends JobMethodName> = JobResults[Methods[K]['jobKind'] & JobKind];

export type JobRunOptions = {
  /** Words for the job in messages: 'training' → "Cancelling the training…". */
  what: string;
  /** Prefix of the progress bar / progress lines on stderr. */
  label: string;
  /** Show progress events (bar on a terminal, 10% steps otherwise). Default true. */
  progress?: boolean;
  /**
   * Away from a terminal, a line at each 10% step (default true); false leaves only a line every
   * progress interval (training, whose epochs have their own lines).
   */
  stepLines?: boolean;
  /** Every event of the job, after the progress display saw it. */
  onEvent?: (event: JobEvent, clearProgress: () => void) => void;
  /** Called once with the job id as soon as it is known. */
  onStart?: (jobId: string) => void;
};

/**
 * Runs a job through the contract client with progress on stderr. The first Ctrl-C cancels the
 * job (jobs.cancel; the job ends CANCELLED, exit 1), a second one quits at once.
 */
export async function runCancellableJob<K extends JobMethodName>(
  ctx: CommandContext,
  method: K,
  params: ParamsIn<K>,
  options: JobRunOptions,
): Promise<JobResultOf<K>> {
  const progress = progressReporter(ctx, options.label, { steps: options.stepLines ?? true });
  const interrupt = interruptCancels(
    ctx,
    `Cancelling the ${options.what}… (press Ctrl-C again to quit at once)`,
    () => progress.finish(),
  );
  let jobId: string | null = null;
  try {
    const result = (await ctx.client.runJob(method, params, (event) => {
      if (jobId === null) {
        jobId = event.jobId;
        options.onStart?.(jobId);
        interrupt.jobStarted(jobId);
      }
      if (event.type !== 'progress' || options.progress !== false) progress.onEvent(event);
      options.onEvent?.(event, () => progress.finish());
    })) as JobResultOf<K>;
    return result;
  } finally {
    progress.finish();
    interrupt.uninstall();
  }
}

/** Option readers: the parser already checked the types; these only narrow them. */
export function numberOption(ctx: CommandContext, name: string): number | undefined {
  const value = ctx.options[name];
  return typeof value === 'number' ? value : undefined;
}

export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(ctx: CommandContext, name: string): boolean {
  return ctx.options[name] === true;
}

/** A string option limited to some spellings, each mapped to the contract's value (exit 2 else). */
export function choiceOption<T extends string>(
  ctx: CommandContext,
  name: string,
  choices: Readonly<Record<string, T>>,
): T | undefined {
  const raw: OptionValue | undefined = ctx.options[name];
  if (typeof raw !== 'string') return undefined;
  const value = choices[raw];
  if (value === undefined || !Object.prototype.hasOwnProperty.call(choices, raw)) {
    throw new UsageError(
      `--${name} must be one of ${Object.keys(choices).join(', ')}, not "${raw}".`,
    );
  }
  return value;
}

/** Drops undefined fields, so only what the user gave reaches the contract (its defaults apply). */
export function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
