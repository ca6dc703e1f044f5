// How the browser page takes the bridge token from its URL (src/renderer/transport/token.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { takeBridgeToken } from '../../src/renderer/transport/token';

type FakePage = {
  win: Window;
  /** The URLs passed to history.replaceState, in order. */
  replaced: string[];
  storage: Map<string, string>;
};

function page(url: string, storage = new Map<string, string>()): FakePage {
  const parsed = new URL(url, 'http://127.0.0.1:4000');
  const replaced: string[] = [];
  const win = {
    location: { pathname: parsed.pathname, search: parsed.search, hash: parsed.hash },
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    },
    history: {
      replaceState: (_state: unknown, _title: string, next: string) => void replaced.push(next),
    },
  } as unknown as Window;
  return { win, replaced, storage };
}

void describe('takeBridgeToken', () => {
  void it('reads ?token= and removes it from the visible URL', () => {
    const p = page('/?token=abc123');
    assert.equal(takeBridgeToken(p.win), 'abc123');
    assert.deepEqual(p.replaced, ['/']);
    assert.deepEqual([...p.storage.values()], ['abc123']);
  });

  void it('keeps other query parameters and a route hash next to ?token=', () => {
    const p = page('/index.html?lang=en&token=a%2Fb&x=1#/cities');
    assert.equal(takeBridgeToken(p.win), 'a/b');
    assert.deepEqual(p.replaced, ['/index.html?lang=en&x=1#/cities']);
  });

  void it('still accepts the older #token= form', () => {
    const p = page('/#token=abc%2F123');
    assert.equal(takeBridgeToken(p.win), 'abc/123');
    assert.deepEqual(p.replaced, ['/']);
  });

  void it('prefers the query token when both forms are present', () => {
    const p = page('/?token=fromquery#token=fromhash');
    assert.equal(takeBridgeToken(p.win), 'fromquery');
    assert.deepEqual(p.replaced, ['/']);
  });

  void it('after a reload (no token in the URL) uses the stored one and leaves the URL alone', () => {
    const first = page('/?token=kept');
    takeBridgeToken(first.win);
    const reloaded = page('/#/train', first.storage);
    assert.equal(takeBridgeToken(reloaded.win), 'kept');
    assert.deepEqual(reloaded.replaced, []);
  });

  void it('without a token anywhere answers null; an empty ?token= is no token', () => {
    assert.equal(takeBridgeToken(page('/').win), null);
    const empty = page('/?token=');
    assert.equal(takeBridgeToken(empty.win), null);
    assert.deepEqual(empty.replaced, []);
  });

  void it('a malformed #token= escape is ignored rather than thrown', () => {
    const p = page('/#token=%E0%A4%A');
    assert.equal(takeBridgeToken(p.win), null);
  });
});
