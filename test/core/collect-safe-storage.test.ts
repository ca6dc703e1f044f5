import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SafeStorageLike } from '../../src/main/electron/electron-api';
import { safeSecretStore, SECRETS_FILE } from '../../src/main/electron/safe-secret-store';

const KEY = 'AIzaSafeStorage-key-0123456789';

/** Stands in for the OS keychain: XOR with a per-"machine" byte, so another machine cannot read it. */
function fakeSafeStorage(machine: number, available = true): SafeStorageLike {
  const xor = (data: Buffer): Buffer => Buffer.from(data.map((b) => b ^ machine));
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.concat([Buffer.from('v10'), xor(Buffer.from(text, 'utf8'))]),
    decryptString: (data) => {
      if (data.subarray(0, 3).toString() !== 'v10') throw new Error('bad');
      const text = xor(data.subarray(3)).toString('utf8');
      if (!/^[\x21-\x7e]+$/.test(text)) throw new Error('Error while decrypting the ciphertext');
      return text;
    },
  };
}

function tempUserData(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lp-userdata-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('Electron safeStorage key store', () => {
  it('keeps only ciphertext on disk, survives a restart, and clears', (t) => {
    const dir = tempUserData(t);
    const store = safeSecretStore(fakeSafeStorage(0x5c), dir, {});
    assert.equal(store.status('streetview').place, 'none');
    const set = store.set('streetview', KEY);
    assert.deepEqual([set.set, set.place, set.writable], [true, 'safe-storage', true]);
    assert.equal(JSON.stringify(set).includes(KEY), false);
    const file = join(dir, SECRETS_FILE);
    assert.equal(readFileSync(file).includes(Buffer.from(KEY)), false);
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);

    const restarted = safeSecretStore(fakeSafeStorage(0x5c), dir, {});
    assert.equal(restarted.get('streetview'), KEY);
    assert.equal(restarted.get('mapillary'), null);
    assert.equal(restarted.clear('streetview').set, false);
    assert.equal(existsSync(file), false);
  });

  it('another machine cannot decrypt: the key reads as not set, with a note; env keys still work', (t) => {
    const dir = tempUserData(t);
    safeSecretStore(fakeSafeStorage(0x5c), dir, {}).set('mapillary', 'MLY|1|token');
    const elsewhere = safeSecretStore(fakeSafeStorage(0x33), dir, {
      LITTLEPLANET_STREETVIEW_KEY: 'from-env-key',
    });
    const status = elsewhere.status('mapillary');
    assert.equal(status.set, false);
    assert.match(status.note, /could not be decrypted/);
    assert.equal(elsewhere.get('mapillary'), null);
    assert.equal(elsewhere.get('streetview'), 'from-env-key');
    assert.equal(elsewhere.status('streetview').place, 'environment');
  });

  it('without keychain encryption a key is kept for the session only, never written', (t) => {
    const dir = tempUserData(t);
    const store = safeSecretStore(fakeSafeStorage(1, false), dir, {});
    assert.match(store.status('streetview').note, /no keychain encryption/);
    const set = store.set('streetview', KEY);
    assert.equal(set.place, 'session');
    assert.equal(store.get('streetview'), KEY);
    assert.equal(existsSync(join(dir, SECRETS_FILE)), false);
    writeFileSync(join(dir, SECRETS_FILE), 'not json');
    assert.equal(store.get('mapillary'), null);
  });

  it('Linux without a keyring (basic_text): says so, keeps a key for the session unless asked (#14)', (t) => {
    const dir = tempUserData(t);
    const basicText = { ...fakeSafeStorage(0x5c), getSelectedStorageBackend: () => 'basic_text' };
    const store = safeSecretStore(basicText, dir, {});
    const before = store.status('streetview');
    assert.equal(before.weakDiskEncryption, true);
    assert.match(before.note, /no keyring/);
    assert.doesNotMatch(before.note, /Encrypted with this computer's keychain/);

    const session = store.set('streetview', KEY);
    assert.deepEqual([session.set, session.place], [true, 'session']);
    assert.equal(existsSync(join(dir, SECRETS_FILE)), false, 'nothing written to disk');
    assert.equal(store.get('streetview'), KEY);

    const saved = store.set('mapillary', 'MLY|1|token', true);
    assert.deepEqual([saved.set, saved.place], [true, 'safe-storage']);
    assert.match(saved.note, /only obfuscated, not encrypted/);
    assert.doesNotMatch(saved.note, /Encrypted with this computer's keychain/);

    // With a real keyring the old wording holds and nothing is weak.
    const keyring = {
      ...fakeSafeStorage(0x5c),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    };
    const strong = safeSecretStore(keyring, tempUserData(t), {}).set('streetview', KEY);
    assert.deepEqual([strong.place, strong.weakDiskEncryption], ['safe-storage', false]);
    assert.match(strong.note, /Encrypted with this computer's keychain/);
  });
});
