import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingest, type Source } from '@media-gateway/catalog';
import { manualClock, noopLogger, type SourceRecordInput } from '@media-gateway/domain';
import { testBackends } from '@media-gateway/testkit';
import { ImageProxy } from '../src/images/image-proxy.ts';
import { MemoryImageCache } from '../src/images/image-memory-cache.ts';
import { type FakeImageHost, png, pngBytes, startFakeImageHost } from './image-host-fake.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const POSTER = pngBytes(34, 51);
const SMALL = pngBytes(18, 27, [20, 90, 200]);
const LOGO = pngBytes(16, 16, [0, 0, 0]);
const SEEN = new Date('2026-03-01T10:00:00Z');

/** One title per upstream behaviour, each with a TMDb poster reference (and one with a backdrop). */
const CASES = {
  ok: '/ok.png',
  missing: '/missing.png',
  slow: '/slow.png',
  html: '/html.png',
  liar: '/liar.png',
  huge: '/huge.png',
} as const;

function record(n: number, title: string, images: SourceRecordInput['images']): SourceRecordInput {
  return { source: 'tmdb', sourceKey: `movie:${n}`, kind: 'movie', title, year: 1900 + (n % 100), images };
}

async function seed(t: TestApp): Promise<Record<string, string>> {
  const records: SourceRecordInput[] = [
    ...Object.entries(CASES).map(([name, ref], i) =>
      record(9000 + i, `Artwork case ${name}`, [
        { kind: 'poster', source: 'tmdb', ref, attribution: 'TMDb' },
        ...(name === 'ok'
          ? [{ kind: 'backdrop' as const, source: 'tmdb' as const, ref: '/ok-bd.png', attribution: 'TMDb' }]
          : []),
      ]),
    ),
    record(9050, 'Artwork case none', undefined),
    // A reference whose URL would leave the allow-list (an internal address): stored, never fetched.
    record(9051, 'Artwork case internal', [
      { kind: 'poster', source: 'watchmode', ref: 'https://169.254.169.254/latest/meta-data/x.jpg', attribution: 'X' },
    ]),
  ];
  const source: Source = {
    name: 'tmdb:US',
    async *read() {
      for (const [i, r] of records.entries()) yield { file: 'artwork', row: i + 1, record: r, problems: [] };
    },
  };
  await ingest({ db: t.ctx.db, source, seenAt: SEEN });
  const { rows } = await t.ctx.db.query<{ id: string; title: string }>('SELECT id, title FROM titles');
  return Object.fromEntries(rows.map((r) => [r.title.replace('Artwork case ', ''), r.id]));
}

for (const backend of testBackends()) {
  describe(`GET /api/titles/:id/image/:kind and /api/providers/:id/logo (${backend})`, () => {
    let t: TestApp;
    let host: FakeImageHost;
    let ids: Record<string, string>;
    const upstreamCalls = (path: string) => host.server.requests.filter((r) => r.path === path).length;

    before(async () => {
      host = await startFakeImageHost({
        '/t/p/w342/ok.png': png(POSTER),
        '/t/p/w185/ok.png': png(SMALL),
        '/t/p/w1280/ok-bd.png': png(POSTER),
        '/t/p/w342/slow.png': { ...png(POSTER), delayMs: 1500 },
        '/t/p/w342/html.png': { headers: { 'content-type': 'text/html' }, body: '<html>not an image</html>' },
        '/t/p/w342/liar.png': { headers: { 'content-type': 'image/png' }, body: '<html>not an image</html>' },
        '/t/p/w342/huge.png': png(Buffer.concat([POSTER, Buffer.alloc(2 * 1024 * 1024)])),
        '/t/p/w154/peURlLlr8jggOwK53fJ5wdQl05y.jpg': png(LOGO),
      });
      t = await createTestApp({ backend, fetch: host.fetch, env: { MG_IMAGE_TIMEOUT_MS: '300' } });
      ids = await seed(t);
    });
    after(async () => {
      await t?.close();
      await host?.close();
    });

    test('title details carry the poster through our proxy, with credit and when the source saw it', async () => {
      const view = (await t.app.inject({ url: `/api/titles/${ids['ok']}` })).json();
      assert.deepEqual(
        view.images.map((i: { kind: string; source: string; attribution: string; seenAt: string }) => [
          i.kind,
          i.source,
          i.attribution,
          i.seenAt,
        ]),
        [
          ['poster', 'tmdb', 'TMDb', SEEN.toISOString()],
          ['backdrop', 'tmdb', 'TMDb', SEEN.toISOString()],
        ],
      );
      assert.match(view.images[0].url, new RegExp(`^/api/titles/${ids['ok']}/image/poster\\?size=m&v=`));
      assert.deepEqual((await t.app.inject({ url: `/api/titles/${ids['none']}` })).json().images, []);
    });

    test('first request fetches, the second is served from the cache; 304 on revalidation', async () => {
      const { url } = (await t.app.inject({ url: `/api/titles/${ids['ok']}` })).json().images[0];
      const first = await t.app.inject({ url });
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers['content-type'], 'image/png');
      assert.deepEqual(first.rawPayload, POSTER);
      assert.equal(first.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.ok(first.headers.etag);
      assert.equal(upstreamCalls('/t/p/w342/ok.png'), 1);

      const second = await t.app.inject({ url });
      assert.deepEqual(second.rawPayload, POSTER);
      assert.equal(second.headers.etag, first.headers.etag);
      assert.equal(upstreamCalls('/t/p/w342/ok.png'), 1, 'served from the cache, no upstream call');

      const again = await t.app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.rawPayload.length, 0);

      // Without the current version the answer may change at the next ingest: not immutable.
      const unversioned = await t.app.inject({ url: `/api/titles/${ids['ok']}/image/poster` });
      assert.match(String(unversioned.headers['cache-control']), /^public, max-age=86400/);
      const small = await t.app.inject({ url: `/api/titles/${ids['ok']}/image/poster?size=s` });
      assert.deepEqual(small.rawPayload, SMALL, 'size s is TMDb’s w185');
      const backdrop = await t.app.inject({ url: `/api/titles/${ids['ok']}/image/backdrop?size=l` });
      assert.equal(backdrop.headers['content-type'], 'image/png', 'backdrop l is TMDb’s w1280');

      // Operators see where images came from (decision 0109): two posters fetched upstream (sizes m and
      // s), the repeats of m from memory, one backdrop.
      const scrape = await t.ctx.services.metrics.registry.metrics();
      assert.match(scrape, /mg_images_served_total\{kind="poster",outcome="upstream"\} 2/);
      assert.match(scrape, /mg_images_served_total\{kind="poster",outcome="memory"\} [1-9]/);
      assert.match(scrape, /mg_images_served_total\{kind="backdrop",outcome="upstream"\} 1/);
    });

    test('upstream 404, timeout, wrong type, lying type, oversized → the generated cover, 200', async () => {
      for (const [name, reason] of [
        ['missing', 'status'],
        ['slow', 'timeout'],
        ['html', 'type'],
        ['liar', 'type'],
        ['huge', 'too-large'],
      ] as const) {
        const res = await t.app.inject({ url: `/api/titles/${ids[name]}/image/poster` });
        assert.equal(res.statusCode, 200, name);
        assert.match(String(res.headers['content-type']), /^image\/svg\+xml/, name);
        assert.equal(res.headers['x-image-fallback'], reason, name);
        assert.match(res.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="342" height="513"/, name);
        assert.match(res.body, new RegExp(`Artwork case ${name}`), name);
        assert.equal(res.headers['cache-control'], 'public, max-age=300', name);
      }
      // A failed URL is not asked again straight away: a dead host costs one timeout, not one per card.
      const before = upstreamCalls('/t/p/w342/missing.png');
      await t.app.inject({ url: `/api/titles/${ids['missing']}/image/poster` });
      assert.equal(upstreamCalls('/t/p/w342/missing.png'), before);
    });

    test('no artwork, or a reference off the allow-list: the cover, and no upstream call', async () => {
      const none = await t.app.inject({ url: `/api/titles/${ids['none']}/image/poster?size=l` });
      assert.equal(none.statusCode, 200);
      assert.equal(none.headers['x-image-fallback'], 'no-artwork');
      assert.match(none.body, /width="780" height="1170"/);
      const etag = String(none.headers.etag);
      const cached = await t.app.inject({
        url: `/api/titles/${ids['none']}/image/poster?size=l`,
        headers: { 'if-none-match': etag },
      });
      assert.equal(cached.statusCode, 304);

      const internal = await t.app.inject({ url: `/api/titles/${ids['internal']}/image/poster` });
      assert.equal(internal.statusCode, 200);
      assert.equal(internal.headers['x-image-fallback'], 'no-artwork');
      assert.ok(!host.asked.some((u) => u.includes('169.254')), host.asked.join(' '));
      // The proxy itself refuses anything off the list, before any connection.
      const proxy = t.ctx.services.images();
      const count = host.asked.length;
      for (const u of [
        'https://169.254.169.254/x.png',
        'http://image.tmdb.org/t/p/w342/ok.png',
        'https://evil.example/x.png',
      ])
        assert.deepEqual(await proxy.get(new URL(u)), { ok: false, reason: 'refused' }, u);
      assert.equal(host.asked.length, count);
    });

    test('bad input is a problem, never a 5xx: unknown id 404, bad kind/size/id 400', async () => {
      const unknown = await t.app.inject({ url: '/api/titles/mg_zzzzzzzzzzzz/image/poster' });
      assert.equal(unknown.statusCode, 404);
      assert.match(String(unknown.headers['content-type']), /^application\/problem\+json/);
      assert.equal(unknown.json().code, 'NOT_FOUND');
      for (const url of [
        `/api/titles/${ids['ok']}/image/thumbnail`,
        `/api/titles/${ids['ok']}/image/poster?size=xl`,
        `/api/titles/${ids['ok']}/image/poster?url=https://evil.example/x.png`,
        `/api/titles/${ids['ok']}/image/poster?v=../../x`,
        '/api/titles/nope/image/poster',
        '/api/providers/..%2Fx/logo',
      ]) {
        const res = await t.app.inject({ url });
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().code, 'INVALID_INPUT', url);
      }
    });

    test('provider logos: the source’s logo through the proxy; else a text badge; unknown id 404', async () => {
      const apple = await t.app.inject({ url: '/api/providers/apple-tv-store/logo' });
      assert.equal(apple.statusCode, 200);
      assert.deepEqual(apple.rawPayload, LOGO);
      // Netflix's registry logo is not on the fake host (upstream 404): its name as a badge.
      const netflix = await t.app.inject({ url: '/api/providers/netflix/logo?size=s' });
      assert.equal(netflix.statusCode, 200);
      assert.equal(netflix.headers['x-image-fallback'], 'status');
      assert.match(netflix.body, /^<svg[^>]+width="92" height="92"/);
      assert.match(netflix.body, /<tspan[^>]*>Netflix<\/tspan>/);
      const missing = await t.app.inject({ url: '/api/providers/no-such-provider/logo' });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().code, 'NOT_FOUND');
    });
  });
}

describe('image proxy caches (unit, real fetch to a loopback image host)', () => {
  let host: FakeImageHost;
  let dir: string;
  before(async () => {
    host = await startFakeImageHost({ '/t/p/w342/a.png': png(POSTER) });
    dir = await mkdtemp(join(tmpdir(), 'mg-images-'));
  });
  after(async () => {
    await host.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('on disk under the data dir: a new process serves it without asking upstream', async () => {
    const make = () =>
      new ImageProxy({
        fetch: host.fetch,
        clock: manualClock('2026-03-01T00:00:00Z'),
        logger: noopLogger,
        enabled: true,
        memoryBytes: 1024 * 1024,
        disk: { dir, bytes: 1024 * 1024 },
        timeoutMs: 1000,
      });
    const url = new URL('https://image.tmdb.org/t/p/w342/a.png');
    const first = await make().get(url);
    assert.equal(first.ok && first.from, 'upstream');
    assert.equal((await readdir(dir)).length, 1);
    const restarted = make();
    const second = await restarted.get(url);
    assert.equal(second.ok && second.from, 'disk');
    assert.ok(second.ok && second.bytes.equals(POSTER));
    assert.equal((await restarted.get(url)).ok && restarted.stats.memory, 1);
    assert.equal(host.server.requests.length, 1);
  });

  test('memory: least recently used images go first once the byte budget is spent', () => {
    const cache = new MemoryImageCache(250);
    const img = (n: number) => ({ bytes: Buffer.alloc(n), type: 'image/png', etag: `"${n}"` });
    cache.set('a', img(100));
    cache.set('b', img(100));
    cache.get('a');
    cache.set('c', img(100));
    assert.ok(cache.get('a') && cache.get('c'));
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.bytes <= 250);
    cache.set('big', img(300));
    assert.equal(cache.get('big'), undefined, 'larger than the budget: not kept');
  });

  test('off (MG_IMAGE_PROXY=off): nothing is fetched', async () => {
    const proxy = new ImageProxy({
      fetch: host.fetch,
      clock: manualClock(0),
      logger: noopLogger,
      enabled: false,
      memoryBytes: 1024,
      timeoutMs: 1000,
    });
    const count = host.asked.length;
    assert.deepEqual(await proxy.get(new URL('https://image.tmdb.org/t/p/w342/a.png')), { ok: false, reason: 'off' });
    assert.equal(host.asked.length, count);
  });
});
