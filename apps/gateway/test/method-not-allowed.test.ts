import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './test-app.ts';

describe('a path that exists, asked with a method it does not take', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => t.close());

  test('is a 405 problem naming the methods it takes, with Allow', async () => {
    const cases = [
      { method: 'GET', url: '/api/search?q=heat', allow: 'POST' },
      { method: 'DELETE', url: '/api/search', allow: 'POST' },
      { method: 'PUT', url: '/api/watchlist', allow: 'GET, HEAD, POST' },
      { method: 'POST', url: '/api/titles/mg_anything', allow: 'GET, HEAD' },
    ] as const;
    for (const { method, url, allow } of cases) {
      const res = await t.app.inject({ method, url });
      assert.equal(res.statusCode, 405, `${method} ${url}: ${res.body}`);
      assert.equal(res.headers.allow, allow, `${method} ${url}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      const body = res.json();
      assert.equal(body.code, 'METHOD_NOT_ALLOWED');
      assert.equal(body.detail, `${url.split('?')[0]} takes ${allow}, not ${method}.`);
    }
  });

  test('a path that does not exist stays a 404, whatever the method (the web app fallback is no resource)', async () => {
    for (const [method, url] of [
      ['POST', '/api/nothing-here'],
      ['DELETE', '/no-such-page'],
      ['GET', '/api/nothing-here'],
      // A path of a route's shape whose parameter is over its length limit: the method is right, the title is not.
      ['GET', `/api/titles/${'x'.repeat(5000)}`],
    ] as const) {
      const res = await t.app.inject({ method, url });
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
      assert.equal(res.json().code, 'NOT_FOUND');
      assert.equal(res.headers.allow, undefined);
    }
  });
});
