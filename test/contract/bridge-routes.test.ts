import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRoutes, findRoute, isApiPath } from '../../src/main/server/bridge-routes';
import type { EventStreams } from '../../src/main/server/event-stream';

// The table alone: which route answers which method and path (the requests themselves are
// covered end to end in http-bridge.test.ts).
const routes = apiRoutes({
  core: {
    handlers: {} as never,
    subscribe: () => () => undefined,
    assetPath: () => Promise.resolve(null),
  },
  streams: {} as EventStreams,
  maxBody: 1024,
});
const pathOf = (method: string, pathname: string): string | undefined =>
  findRoute(routes, method, pathname)?.path;

void describe('HTTP bridge route table', () => {
  void it('sends every method of /api/call/ to the call route, which refuses all but POST itself', () => {
    assert.equal(pathOf('POST', '/api/call/library.info'), '/api/call/');
    assert.equal(pathOf('GET', '/api/call/library.info'), '/api/call/');
  });

  void it('answers events on GET only, at the exact path', () => {
    assert.equal(pathOf('GET', '/api/events'), '/api/events');
    assert.equal(pathOf('POST', '/api/events'), undefined);
    assert.equal(pathOf('GET', '/api/events/more'), undefined);
  });

  void it('serves assets on GET and HEAD, and nothing else', () => {
    assert.equal(pathOf('GET', '/asset/thumb/1'), '/asset/');
    assert.equal(pathOf('HEAD', '/asset/norm/2'), '/asset/');
    assert.equal(pathOf('DELETE', '/asset/thumb/1'), undefined);
    assert.equal(pathOf('GET', '/api/other'), undefined);
  });

  void it('treats /api/ and /asset/ as API and everything else as the UI', () => {
    assert.equal(isApiPath('/api/call/x'), true);
    assert.equal(isApiPath('/asset/thumb/1'), true);
    assert.equal(isApiPath('/'), false);
    assert.equal(isApiPath('/assets/index.js'), false);
  });
});
