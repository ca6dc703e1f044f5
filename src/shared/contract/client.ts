import { AppError, type Result } from './errors';
import type { AppEvent, JobEvent, JobKind, JobResults } from './job-types';
import type { JobMethodName, MethodName, MethodResult, Methods, ParamsIn } from './methods';

/** What a door looks like from the client side: Electron preload, HTTP bridge or in-process core. */
export type Transport = {
  invoke(method: string, params: unknown): Promise<Result<unknown>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
};

type JobKindOf<K extends JobMethodName> = Methods[K]['jobKind'] & JobKind;

export type Client = {
  call<K extends MethodName>(method: K, params: ParamsIn<K>): Promise<MethodResult<K>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** Starts a job and resolves with its result; rejects with the job's error or CANCELLED. */
  runJob<K extends JobMethodName>(
    method: K,
    params: ParamsIn<K>,
    onEvent?: (event: JobEvent) => void,
  ): Promise<JobResults[JobKindOf<K>]>;
};

export function createClient(transport: Transport): Client {
  const call = async <K extends MethodName>(method: K, params: ParamsIn<K>) => {
    const result = await transport.invoke(method, params);
    if (!result.ok) throw AppError.fromData(result.error);
    return result.value as MethodResult<K>;
  };

  const runJob = <K extends JobMethodName>(
    method: K,
    params: ParamsIn<K>,
    onEvent?: (event: JobEvent) => void,
  ): Promise<JobResults[JobKindOf<K>]> =>
    new Promise((resolve, reject) => {
      // Subscribe before starting so no event is missed; buffer until the job id is known.
      let jobId: string | null = null;
      const early: JobEvent[] = [];
      const handle = (event: JobEvent): void => {
        onEvent?.(event);
        if (event.type === 'done') {
          unsubscribe();
          resolve(event.result as JobResults[JobKindOf<K>]);
        } else if (event.type === 'failed') {
          unsubscribe();
          reject(AppError.fromData(event.error));
        } else if (event.type === 'cancelled') {
          unsubscribe();
          reject(new AppError('CANCELLED', 'The job was cancelled.'));
        }
      };
      const unsubscribe = transport.subscribe((event) => {
        if (event.channel !== 'job') return;
        if (jobId === null) early.push(event.payload);
        else if (event.payload.jobId === jobId) handle(event.payload);
      });
      call(method, params).then(
        (started) => {
          jobId = (started as { jobId: string }).jobId;
          for (const event of early.splice(0)) if (event.jobId === jobId) handle(event);
        },
        (error: unknown) => {
          unsubscribe();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });

  return { call, subscribe: (listener) => transport.subscribe(listener), runJob };
}

/** Cached images the UI shows: the 256x256 normalised image and the small thumbnail. */
export type AssetKind = 'thumb' | 'norm';

/** The renderer's door: a Transport plus URLs for cached image assets (not JSON, so not a method). */
/** What a native picker offers: folders, image files, or one CSV manifest. */
export type PickKind = 'folders' | 'files' | 'csv';

export type RendererTransport = Transport & {
  /** e.g. `lp-asset://thumb/42` in Electron, `/asset/thumb/42?token=…` over the HTTP bridge. */
  assetUrl(kind: AssetKind, imageId: number): string;
  /**
   * The desktop's own file dialog (Electron only; a browser page cannot learn local paths):
   * absolute paths chosen, [] when cancelled.
   */
  pickPaths?(kind: PickKind): Promise<string[]>;
  /** 'electron' or 'http', shown in the status bar. */
  readonly name: string;
};
