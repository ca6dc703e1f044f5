import type {
  CollectKeyStatus,
  CollectProvider,
  SecretPlace,
} from '../../../shared/contract/collect-types';

/**
 * Where the collectors' API keys live. The core never writes a key anywhere else: not in job
 * parameters, the database, logs or messages. The Electron shell keeps keys encrypted with the
 * OS keychain (safeStorage); the CLI and the HTTP bridge read environment variables and keep a key
 * set through the API in memory for the session only.
 */
export type SecretStore = {
  status(provider: CollectProvider): CollectKeyStatus;
  /** The key, or null when none is set. */
  get(provider: CollectProvider): string | null;
  /** `persist`: save to disk even where the disk store is weak (see weakDiskEncryption). */
  set(provider: CollectProvider, key: string, persist?: boolean): CollectKeyStatus;
  clear(provider: CollectProvider): CollectKeyStatus;
};

/** The environment variable of each provider's key. */
export const KEY_ENV: Readonly<Record<CollectProvider, string>> = {
  streetview: 'LITTLEPLANET_STREETVIEW_KEY',
  mapillary: 'LITTLEPLANET_MAPILLARY_TOKEN',
};

/** The environment variable overriding each provider's base URL (tests, proxies). */
export const URL_ENV: Readonly<Record<CollectProvider, string>> = {
  streetview: 'LITTLEPLANET_STREETVIEW_URL',
  mapillary: 'LITTLEPLANET_MAPILLARY_URL',
};

export function keyStatus(
  provider: CollectProvider,
  place: SecretPlace,
  writable: boolean,
  note: string,
  weakDiskEncryption = false,
): CollectKeyStatus {
  return { provider, set: place !== 'none', place, writable, note, weakDiskEncryption };
}

/**
 * Keys from environment variables, plus keys set through collect.key.set held in memory until the
 * process ends (they win over the environment while set). For the CLI and the HTTP bridge, which
 * have no keychain to keep a key in.
 */
export function envSecretStore(env: NodeJS.ProcessEnv): SecretStore {
  const session = new Map<CollectProvider, string>();
  const fromEnv = (provider: CollectProvider): string | null => {
    const value = env[KEY_ENV[provider]]?.trim() ?? '';
    return value === '' ? null : value;
  };
  const status = (provider: CollectProvider): CollectKeyStatus => {
    const variable = KEY_ENV[provider];
    if (session.has(provider)) {
      return keyStatus(
        provider,
        'session',
        true,
        `Kept in memory for this session only; it is forgotten when the studio stops. Set ${variable} to keep one.`,
      );
    }
    if (fromEnv(provider) !== null) {
      return keyStatus(
        provider,
        'environment',
        true,
        `Read from the environment variable ${variable}.`,
      );
    }
    return keyStatus(
      provider,
      'none',
      true,
      `No key. Set the environment variable ${variable}, or set one here for this session.`,
    );
  };
  return {
    status,
    get: (provider) => session.get(provider) ?? fromEnv(provider),
    set(provider, key) {
      session.set(provider, key);
      return status(provider);
    },
    clear(provider) {
      session.delete(provider);
      return status(provider);
    },
  };
}
