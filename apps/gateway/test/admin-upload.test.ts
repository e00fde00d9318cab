import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { UPLOAD_MAX_BYTES } from '../src/routes/admin-upload-job.ts';
import { bearer, catalogFiles, waitForRun } from './admin-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const UPLOAD = '/api/admin/ingestion/upload';
// Uploads stage files under os.tmpdir(): this test process gets a private one, so other suites
// running at the same time cannot change the count of mg-upload-* directories it checks.
process.env['TMPDIR'] = mkdtempSync(join(tmpdir(), 'mg-upload-test-'));
const uploadDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('mg-upload-')).length;

for (const backend of testBackends()) {
  describe(`POST ${UPLOAD} and run problems on ${backend}`, () => {
    let t: TestApp;
    let admin: string;
    let files: Awaited<ReturnType<typeof catalogFiles>>;
    before(async () => {
      t = await createTestApp({ backend, env: { MG_SEARCH_INDEX: 'memory' } });
      admin = await t.token('admin-1', ['admin']);
      files = await catalogFiles();
    });
    after(async () => {
      await t.close();
      await rm(files.dir, { recursive: true, force: true });
    });

    test('needs a token with the admin scope (401 with a challenge, then 403)', async () => {
      const body = await readFile(files.netflix);
      const anon = await t.app.inject({
        method: 'POST',
        url: UPLOAD,
        payload: body,
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(anon.statusCode, 401);
      assert.match(String(anon.headers['www-authenticate']), /scope="admin"/);
      const viewer = await t.token('viewer-1', ['catalog:read', 'watchlist:write']);
      const res = await t.app.inject({
        method: 'POST',
        url: UPLOAD,
        payload: body,
        headers: { 'content-type': 'text/csv', ...bearer(viewer) },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().code, 'FORBIDDEN');
      const problems = await t.app.inject({
        url: '/api/admin/ingestion/runs/00000000-0000-4000-8000-000000000000/problems',
        headers: bearer(viewer),
      });
      assert.equal(problems.statusCode, 403);
    });

    test('bad input is a 400 problem with a stable code, and leaves no temp files behind', async () => {
      const before = uploadDirs();
      const cases: Array<{ url: string; payload: string | Buffer; why: RegExp }> = [
        {
          url: `${UPLOAD}?filename=notes.csv`,
          payload: await readFile(files.notCatalog),
          // Named as sent, with the query parameter to add: never a temporary path or a CLI flag.
          why: /^Cannot tell the format of "notes\.csv": .* Pass \?format= \(/,
        },
        {
          url: `${UPLOAD}?filename=my-list.csv`,
          payload: await readFile(files.netflix),
          why: /^Cannot tell the platform from the file name "my-list\.csv"; pass \?platform= /,
        },
        {
          url: `${UPLOAD}?filename=x.csv&platform=nope`,
          payload: await readFile(files.netflix),
          why: /Unknown platform "nope"/,
        },
        { url: `${UPLOAD}?filename=x.csv&format=xml`, payload: await readFile(files.netflix), why: /query\.format/ },
        { url: `${UPLOAD}?filename=x.csv&region=USA`, payload: await readFile(files.netflix), why: /query\.region/ },
        { url: `${UPLOAD}?filename=x.csv&extra=1`, payload: await readFile(files.netflix), why: /unknown parameter/ },
        { url: `${UPLOAD}?filename=netflix_titles.csv`, payload: '', why: /empty/ },
      ];
      for (const c of cases) {
        const res = await t.app.inject({
          method: 'POST',
          url: c.url,
          payload: c.payload,
          headers: { 'content-type': 'text/csv', ...bearer(admin) },
        });
        assert.equal(res.statusCode, 400, `${c.url}: ${res.body}`);
        assert.match(String(res.headers['content-type']), /application\/problem\+json/);
        assert.equal(res.json().code, 'INVALID_INPUT');
        assert.match(res.json().detail, c.why, c.url);
      }
      const multipart = await t.app.inject({
        method: 'POST',
        url: `${UPLOAD}?filename=netflix_titles.csv`,
        payload: '--b\r\n\r\nx\r\n--b--',
        headers: { 'content-type': 'multipart/form-data; boundary=b', ...bearer(admin) },
      });
      assert.equal(multipart.statusCode, 415);
      assert.equal(multipart.json().code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.equal(uploadDirs(), before, 'every rejected upload removed its temp dir');
    });

    test('a file over the limit is a 413, by its declared length or while streaming', async () => {
      const before = uploadDirs();
      const declared = await t.app.inject({
        method: 'POST',
        url: `${UPLOAD}?filename=netflix_titles.csv`,
        payload: Buffer.alloc(UPLOAD_MAX_BYTES + 1, 0x61),
        headers: { 'content-type': 'text/csv', ...bearer(admin) },
      });
      assert.equal(declared.statusCode, 413);
      assert.equal(declared.json().code, 'PAYLOAD_TOO_LARGE');
      // No content-length (chunked): the limit is enforced on the bytes as they arrive.
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      const stream = new Readable({
        read() {
          if (sent > UPLOAD_MAX_BYTES) return this.push(null);
          sent += chunk.length;
          this.push(chunk);
        },
      });
      const streamed = await t.app.inject({
        method: 'POST',
        url: `${UPLOAD}?filename=netflix_titles.csv`,
        payload: stream,
        headers: { 'content-type': 'text/csv', ...bearer(admin) },
      });
      assert.equal(streamed.statusCode, 413);
      assert.equal(streamed.json().code, 'PAYLOAD_TOO_LARGE');
      assert.equal(uploadDirs(), before, 'the partial file was removed');
    });

    test(
      'an upload runs the pipeline in the background: 202, the run ' +
        'completes, per-row problems are listed, titles are browsable',
      async () => {
        const dirsBefore = uploadDirs();
        const res = await t.app.inject({
          method: 'POST',
          url: `${UPLOAD}?filename=netflix_titles.csv`,
          payload: await readFile(files.netflix),
          headers: { 'content-type': 'text/csv', ...bearer(admin) },
        });
        assert.equal(res.statusCode, 202, res.body);
        const body = res.json() as { runId: string; source: string; status: string; links: { problems: string } };
        assert.match(body.runId, /^[0-9a-f-]{36}$/);
        assert.equal(body.source, 'catalog-csv:netflix');
        assert.equal(res.headers['location'], `${UPLOAD}/${body.runId}`);

        const run = await waitForRun(t, admin, body.runId);
        assert.equal(run.status, 'completed');
        assert.equal(run.mode, 'upload');
        assert.equal(run.counts['rows'], 5);
        assert.equal(run.counts['rejected'], 2, 'the row with an unknown type and the row without a title');
        assert.equal(run.problemCount, 3);

        const problems = await t.app.inject({ url: body.links.problems, headers: bearer(admin) });
        assert.equal(problems.statusCode, 200);
        const list = problems.json() as {
          total: number;
          source: string;
          problems: Array<{ file: string; row: number; field: string; reason: string }>;
        };
        assert.equal(list.total, 3);
        assert.equal(list.source, 'catalog-csv:netflix');
        assert.deepEqual(
          list.problems.map((p) => [p.file, p.row, p.field]),
          [
            ['netflix_titles.csv', 3, 'type'],
            ['netflix_titles.csv', 4, 'title'],
            ['netflix_titles.csv', 5, 'release_year'],
          ],
        );
        assert.match(list.problems[0]!.reason, /expected "Movie" or "TV Show", got "Podcast"/);

        const progress = await t.app.inject({ url: `${UPLOAD}/${body.runId}`, headers: bearer(admin) });
        assert.equal(progress.json().status, 'completed');
        assert.equal(progress.json().done, progress.json().total);

        const titles = await t.app.inject({ url: '/api/titles?platform=netflix&limit=100' });
        const names = (titles.json() as { items: Array<{ title: string }> }).items.map((i) => i.title).sort();
        assert.deepEqual(names, ['Bad Year', 'Dark', 'Inception']);
        const suggest = await t.app.inject({ url: '/api/search/suggest?q=Incep' });
        assert.ok(
          (suggest.json() as { suggestions: Array<{ title: string }> }).suggestions.some(
            (s) => s.title === 'Inception',
          ),
          suggest.body,
        );
        // The temp dir goes right after the run is recorded as finished.
        for (let i = 0; i < 50 && uploadDirs() > dirsBefore; i++) await new Promise((r) => setTimeout(r, 20));
        assert.equal(uploadDirs(), dirsBefore, 'the temp dir is removed after the run');
      },
    );

    test('asOf dates the file\'s availability ("as of 2021-09-25"); a future or malformed date is a 400', async () => {
      for (const bad of ['2999-01-01', '2021-02-30', 'soon']) {
        const res = await t.app.inject({
          method: 'POST',
          url: `${UPLOAD}?filename=hulu_titles.csv&asOf=${bad}`,
          payload: await readFile(files.hulu),
          headers: { 'content-type': 'text/csv', ...bearer(admin) },
        });
        assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
        assert.equal(res.json().code, 'INVALID_INPUT');
      }
      const res = await t.app.inject({
        method: 'POST',
        url: `${UPLOAD}?filename=hulu_titles.csv&asOf=2021-09-25`,
        payload: await readFile(files.hulu),
        headers: { 'content-type': 'text/csv', ...bearer(admin) },
      });
      assert.equal(res.statusCode, 202, res.body);
      assert.equal((await waitForRun(t, admin, res.json().runId)).status, 'completed');
      const { rows } = await t.ctx.db.query<{ title_id: string }>(
        "SELECT title_id FROM offers WHERE platform = 'hulu' ORDER BY title_id LIMIT 1",
      );
      const title = (await t.app.inject({ url: `/api/titles/${rows[0]!.title_id}?region=US` })).json();
      const offers = Object.values(title.offers.US ?? {}).flat() as Array<{
        platform: string;
        age: string;
        lastSeen: string;
      }>;
      const hulu = offers.find((o) => o.platform === 'hulu')!;
      assert.equal(hulu.age, 'as of 2021-09-25');
      assert.equal(hulu.lastSeen, '2021-09-25T00:00:00.000Z');
    });

    test('run problems: 404 for an unknown run, 400 for a malformed id', async () => {
      const missing = await t.app.inject({
        url: '/api/admin/ingestion/runs/00000000-0000-4000-8000-000000000000/problems',
        headers: bearer(admin),
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().code, 'NOT_FOUND');
      const bad = await t.app.inject({ url: '/api/admin/ingestion/runs/not-a-run/problems', headers: bearer(admin) });
      assert.equal(bad.statusCode, 400);
      const unknown = await t.app.inject({
        url: `${UPLOAD}/00000000-0000-4000-8000-000000000000`,
        headers: bearer(admin),
      });
      assert.equal(unknown.statusCode, 404);
    });
  });
}
