import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CollectKeyStatus, CollectProvider } from '../../shared/contract/collect-types';
import { COLLECT_PROVIDERS } from '../../shared/contract/collect-types';
import { envSecretStore, KEY_ENV, keyStatus, type SecretStore } from '../core/collect/secret-store';
import type { SafeStorageLike } from './electron-api';

export const SECRETS_FILE = 'collect-keys.json';

type Stored = Partial<Record<CollectProvider, string>>;

function readStored(file: string): Stored {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const stored: Stored = {};
  for (const provider of COLLECT_PROVIDERS) {
    const value = (raw as Record<string, unknown>)[provider];
    if (typeof value === 'string' && value !== '') stored[provider] = value;
  }
  return stored;
}

/**
 * On Linux without a keyring (no GNOME keyring / KWallet) safeStorage still "encrypts", with a
 * fixed password anyone can look up: the key on disk is obfuscated, not protected.
 */
export function weakSafeStorage(safeStorage: SafeStorageLike): boolean {
  try {
    return safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  } catch {
    return false;
  }
}

const WEAK_NOTE =
  'This Linux session has no keyring (Electron safeStorage falls back to a fixed password), so a key saved to disk would only be obfuscated, not encrypted';

/**
 * The desktop app's key store: each key encrypted with Electron's safeStorage (the OS keychain)
 * and only the ciphertext, base64, in `<userData>/collect-keys.json` (mode 0600). Where the OS
 * offers no encryption, a key set is kept in memory for the session and the status says so; where
 * it offers only obfuscation (Linux "basic_text"), the same unless the person asks to save it
 * anyway, and the status says what that means. Keys in the environment variables are used when
 * none is stored.
 */
export function safeSecretStore(
  safeStorage: SafeStorageLike,
  userDataDir: string,
  env: NodeJS.ProcessEnv,
): SecretStore & { readonly file: string } {
  const file = join(userDataDir, SECRETS_FILE);
  const fallback = envSecretStore(env);
  const weak = weakSafeStorage(safeStorage);

  const write = (stored: Stored): void => {
    mkdirSync(dirname(file), { recursive: true });
    if (Object.keys(stored).length === 0) {
      rmSync(file, { force: true });
      return;
    }
    const temp = `${file}.part`;
    writeFileSync(temp, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
    renameSync(temp, file);
  };

  const decrypted = (provider: CollectProvider): string | null => {
    const cipher = readStored(file)[provider];
    if (cipher === undefined || !safeStorage.isEncryptionAvailable()) return null;
    try {
      return safeStorage.decryptString(Buffer.from(cipher, 'base64'));
    } catch {
      // Another user's or machine's keychain: the key cannot be read back; it must be set again.
      return null;
    }
  };

  const status = (provider: CollectProvider): CollectKeyStatus => {
    const stored = readStored(file)[provider] !== undefined;
    if (stored && decrypted(provider) !== null) {
      return keyStatus(
        provider,
        'safe-storage',
        true,
        weak
          ? "Saved in the app's data folder, but only obfuscated, not encrypted: this Linux session has no keyring (Electron safeStorage falls back to a fixed password), so anyone who can read your files can read the key. Clear it to keep keys for one session only."
          : "Encrypted with this computer's keychain (Electron safeStorage) in the app's data folder.",
        weak,
      );
    }
    const other = { ...fallback.status(provider), weakDiskEncryption: weak };
    if (stored) {
      return {
        ...other,
        note: `A stored key could not be decrypted (another computer or user?); set it again. ${other.note}`,
      };
    }
    if (other.place === 'none' && !safeStorage.isEncryptionAvailable()) {
      return {
        ...other,
        note: `This system offers no keychain encryption, so a key set here is kept for this session only. You can also set ${KEY_ENV[provider]}.`,
      };
    }
    if (weak && other.place !== 'environment') {
      return {
        ...other,
        note: `${WEAK_NOTE}; a key set here is kept for this session only unless you choose to save it anyway. You can also set ${KEY_ENV[provider]}.`,
      };
    }
    return other;
  };

  return {
    file,
    status,
    get: (provider) => decrypted(provider) ?? fallback.get(provider),
    set(provider, key, persist = false) {
      if (!safeStorage.isEncryptionAvailable() || (weak && !persist)) {
        fallback.set(provider, key);
        return status(provider);
      }
      const cipher = safeStorage.encryptString(key).toString('base64');
      write({ ...readStored(file), [provider]: cipher });
      return status(provider);
    },
    clear(provider) {
      const stored = readStored(file);
      delete stored[provider];
      write(stored);
      fallback.clear(provider);
      return status(provider);
    },
  };
}
