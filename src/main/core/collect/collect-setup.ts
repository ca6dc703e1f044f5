import type { CollectProvider } from '../../../shared/contract/collect-types';
import { realClock } from './clock';
import type { CollectSetup } from './collect-job';
import { MAPILLARY_BASE_URL } from './mapillary';
import { envSecretStore, URL_ENV, type SecretStore } from './secret-store';
import { STREETVIEW_BASE_URL } from './streetview';

/** What a door may pass to StudioCore; the rest has defaults (see collectSetup). */
export type CollectSetupOptions = Partial<Omit<CollectSetup, 'baseUrls'>> & {
  baseUrls?: Partial<Record<CollectProvider, string | undefined>>;
};

function urlFrom(env: NodeJS.ProcessEnv, provider: CollectProvider): string | undefined {
  const value = env[URL_ENV[provider]]?.trim() ?? '';
  return value === '' ? undefined : value;
}

/**
 * The collectors' setup for a door: keys from `secrets` (default: the environment variables, and
 * memory for keys set during the session), base URLs from the options, else
 * LITTLEPLANET_STREETVIEW_URL / LITTLEPLANET_MAPILLARY_URL, else the real services.
 */
export function collectSetup(
  options: CollectSetupOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): CollectSetup {
  const secrets: SecretStore = options.secrets ?? envSecretStore(env);
  return {
    secrets,
    baseUrls: {
      streetview: options.baseUrls?.streetview ?? urlFrom(env, 'streetview') ?? STREETVIEW_BASE_URL,
      mapillary: options.baseUrls?.mapillary ?? urlFrom(env, 'mapillary') ?? MAPILLARY_BASE_URL,
    },
    clock: options.clock ?? realClock,
    retries: options.retries ?? 4,
    backoffMs: options.backoffMs ?? 1000,
    maxBackoffMs: options.maxBackoffMs ?? 60_000,
  };
}

/**
 * For the CLI and the HTTP bridge: keys from LITTLEPLANET_STREETVIEW_KEY /
 * LITTLEPLANET_MAPILLARY_TOKEN (a key set through the API is kept in memory for the session), base
 * URLs from LITTLEPLANET_STREETVIEW_URL / LITTLEPLANET_MAPILLARY_URL.
 */
export function collectOptionsFromEnv(env: NodeJS.ProcessEnv): CollectSetupOptions {
  return {
    secrets: envSecretStore(env),
    baseUrls: { streetview: urlFrom(env, 'streetview'), mapillary: urlFrom(env, 'mapillary') },
  };
}
