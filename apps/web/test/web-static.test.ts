import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from '../../gateway/test/test-app.ts';
import { isReservedPath } from '../../gateway/src/routes/web-static.ts';
import { ensureBuilt } from './web-harness.ts';

// The gateway serving the built app: SPA fallback, reserved paths, caching, missing build.
for (const backend of testBackends()) {
  describe(`gateway serves the web app (${backend})`, () => {
    let t: TestApp;
    before(async () => {
      ensureBuilt();
      t = await createTestApp({ backend, sample: true });
    });
    after(() => t.close());

    test('deep links get index.html with no-cache and security headers', async () => {
      for (const url of ['/', '/title/mg_abcdefghijkl', '/tv', '/dashboard', '/app/callback?code=x&state=y']) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, url);
        assert.match(res.headers['content-type'] as string, /^text\/html/);
        assert.match(res.body, /<div id="root"><\/div>/);
        assert.equal(res.headers['cache-control'], 'no-cache');
        assert.equal(res.headers['referrer-policy'], 'no-referrer');
        assert.match(res.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
      }
    });

    test('a page opened at another loopback name of the public URL (same port) moves there first', async () => {
      // The public URL is http://localhost:3000; the server logs 127.0.0.1. Sign-in works on the public origin only.
      for (const host of ['127.0.0.1:3000', '[::1]:3000']) {
        const res = await t.app.inject({ method: 'GET', url: '/search?q=heat', headers: { host } });
        assert.equal(res.statusCode, 308, host);
        assert.equal(res.headers.location, 'http://localhost:3000/search?q=heat');
      }
      // The public name, another port, another host, and the API: served as asked.
      for (const [host, url] of [
        ['localhost:3000', '/'],
        ['127.0.0.1:3999', '/'],
        ['media.example.com', '/'],
        ['127.0.0.1:3000', '/api/platforms'],
      ] as const) {
        const res = await t.app.inject({ method: 'GET', url, headers: { host } });
        assert.equal(res.statusCode, 200, `${host}${url}`);
      }
    });

    test('hashed assets are immutable; a missing asset is a 404, never HTML', async () => {
      const index = await t.app.inject({ method: 'GET', url: '/' });
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
      assert.ok(script);
      const js = await t.app.inject({ method: 'GET', url: script });
      assert.equal(js.statusCode, 200);
      assert.match(js.headers['content-type'] as string, /javascript/);
      assert.match(js.headers['cache-control'] as string, /immutable/);
      const missing = await t.app.inject({ method: 'GET', url: '/assets/nope-123.js' });
      assert.equal(missing.statusCode, 404);
      assert.match(missing.headers['content-type'] as string, /problem\+json/);
      const traversal = await t.app.inject({ method: 'GET', url: '/%2e%2e/%2e%2e/package.json' });
      assert.equal(traversal.statusCode, 404);
    });

    test('API, OAuth, MCP, sync and machine-view paths are never shadowed by the app', async () => {
      for (const url of [
        '/api/nope',
        '/oauth/nope',
        '/mcp/x',
        '/sync/x',
        '/.well-known/nope',
        '/auth/nope',
        '/title/mg_abcdefghijkl.llm.md',
      ]) {
        const res = await t.app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 404, url);
        assert.match(res.headers['content-type'] as string, /problem\+json/, url);
      }
      assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).json().status, 'ok');
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/titles?limit=1' })).statusCode, 200);
      assert.equal(isReservedPath('/apixyz'), false);
      assert.equal(isReservedPath('/api'), true);
    });

    test('GET /api/catalog/summary reports the sample and its as-of date', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/catalog/summary' });
      assert.equal(res.statusCode, 200);
      const body = res.json() as {
        titles: number;
        offers: number;
        sample: { asOf: string; onlySource: boolean } | null;
        sources: Array<{ source: string }>;
      };
      assert.ok(body.titles > 0);
      assert.deepEqual(body.sample && { asOf: body.sample.asOf, onlySource: body.sample.onlySource }, {
        asOf: '2025-06-01',
        onlySource: true,
      });
      assert.deepEqual(
        body.sources.map((s) => s.source),
        ['sample'],
      );
      assert.equal((await t.app.inject({ method: 'GET', url: '/api/catalog/summary?x=1' })).statusCode, 400);
    });
  });
}

describe('gateway without a built web app', () => {
  test('/ explains how to build it (503), the API keeps working', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'mg-web-dist-'));
    const t = await createTestApp({ env: { MG_WEB_DIST: empty } });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/' });
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /npm run build:web/);
      const summary = (await t.app.inject({ method: 'GET', url: '/api/catalog/summary' })).json() as {
        titles: number;
        sample: unknown;
      };
      assert.deepEqual(summary, { titles: 0, offers: 0, sources: [], sample: null });
    } finally {
      await t.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
