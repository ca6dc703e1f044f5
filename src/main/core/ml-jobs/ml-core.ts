import type { CoreServices } from '../core-services';

/** What the ML service needs of StudioCore (structural, so the service does not import it). */
export type MlCore = Pick<CoreServices, 'db' | 'startJob' | 'notifyChanged'>;
