import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { promisify } from 'node:util';
import { bearer, catalogFiles, waitForRun } from './admin-helpers.ts';
import { listen } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '..', '..', 'cli', 'bin', 'media-gateway.js');

interface QueueItem {
  source: string;
  sourceKey: string;
  titleId: string;
  title: string;
  method: string;
  confidence: number;
  reason: string;
  override: string | null;
}

for (const backend of testBackends()) {
  describe(`resolution review queue over HTTP on ${backend}`, () => {
    let t: TestApp;
    let admin: string;
    let files: Awaited<ReturnType<typeof catalogFiles>>;
    const queue = async (query: string) => {
      const res = await t.app.inject({ url: `/api/admin/resolution${query}`, headers: bearer(admin) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { below: number; items: QueueItem[] };
    };
    const override = (payload: unknown, token = admin) =>
      t.app.inject({
        method: 'POST',
        url: '/api/admin/resolution/override',
        payload: payload as Record<string, unknown>,
        headers: bearer(token),
      });

    before(async () => {
      t = await createTestApp({ backend });
      admin = await t.token('admin-1', ['admin']);
      files = await catalogFiles();
      // Two platforms list the same film: the second upload merges into the first's title by evidence.
      for (const [name, path] of [
        ['netflix_titles.csv', files.netflix],
        ['hulu_titles.csv', files.hulu],
      ] as const) {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/admin/ingestion/upload?filename=${name}`,
          payload: await readFile(path),
          headers: { 'content-type': 'text/csv', ...bearer(admin) },
        });
        assert.equal(res.statusCode, 202, res.body);
        assert.equal((await waitForRun(t, admin, res.json().runId)).status, 'completed');
      }
    });
    after(async () => {
      await t.close();
      await rm(files.dir, { recursive: true, force: true });
    });

    test('needs the admin scope', async () => {
      assert.equal((await t.app.inject({ url: '/api/admin/resolution' })).statusCode, 401);
      const viewer = await t.token('viewer-1', ['catalog:read']);
      assert.equal((await t.app.inject({ url: '/api/admin/resolution', headers: bearer(viewer) })).statusCode, 403);
      assert.equal(
        (await override({ source: 'catalog-csv:hulu', sourceKey: 's1', action: 'split' }, viewer)).statusCode,
        403,
      );
    });

    test('lists the evidence merge with its confidence and reason, lowest first, filtered by ?below=', async () => {
      const all = await queue('?below=1');
      const merge = all.items.find((i) => i.source === 'catalog-csv:hulu' && i.sourceKey === 's1');
      assert.ok(merge, JSON.stringify(all.items));
      assert.equal(merge.title, 'Inception');
      assert.equal(merge.method, 'evidence');
      assert.match(merge.reason, /director/);
      assert.equal(merge.override, null);
      const confidences = all.items.map((i) => i.confidence);
      assert.deepEqual(
        confidences,
        [...confidences].sort((a, b) => a - b),
      );
      const below = await queue(`?below=${merge.confidence - 0.01}`);
      assert.ok(
        !below.items.some((i) => i.sourceKey === 's1' && i.source === 'catalog-csv:hulu'),
        'a merge at or above the threshold is not in the queue',
      );
      assert.equal((await queue('')).below, 0.9, 'default threshold');
    });

    test('split gives the record its own title; merge moves it back; both are remembered', async () => {
      const merged = (await queue('?below=1')).items.find(
        (i) => i.source === 'catalog-csv:hulu' && i.sourceKey === 's1',
      )!;
      const split = await override({
        source: 'catalog-csv:hulu',
        sourceKey: 's1',
        action: 'split',
        note: 'checking the split',
      });
      assert.equal(split.statusCode, 200, split.body);
      const s = split.json() as { titleId: string; previousTitleId: string; action: string };
      assert.equal(s.previousTitleId, merged.titleId);
      assert.notEqual(s.titleId, merged.titleId);
      const own = (await queue(`?titleId=${s.titleId}`)).items;
      assert.deepEqual(
        own.map((i) => [i.source, i.sourceKey, i.method, i.override]),
        [['catalog-csv:hulu', 's1', 'override', 'split']],
      );
      assert.match(own[0]!.reason, /checking the split/);
      const title = await t.app.inject({ url: `/api/titles/${s.titleId}` });
      assert.equal(title.statusCode, 200, 'the split-off record is a browsable title');

      const back = await override({
        source: 'catalog-csv:hulu',
        sourceKey: 's1',
        action: 'merge',
        targetTitleId: merged.titleId,
      });
      assert.equal(back.statusCode, 200, back.body);
      assert.equal(back.json().titleId, merged.titleId);
      const together = (await queue(`?titleId=${merged.titleId}`)).items
        .map((i) => `${i.source}/${i.sourceKey}:${i.override}`)
        .sort();
      assert.deepEqual(together, ['catalog-csv:hulu/s1:merge', 'catalog-csv:netflix/s1:null']);
    });

    test('the CLI reviews and overrides through the running gateway, with the login token', async () => {
      const { http } = await listen(t);
      const cli = (...args: string[]) =>
        run(process.execPath, [CLI, 'resolution', ...args, '--url', http], {
          env: { ...process.env, MG_TOKEN: admin },
        });
      const listed = JSON.parse((await cli('ls', '--json')).stdout) as { merges: QueueItem[] };
      const merge = listed.merges.find((i) => i.source === 'catalog-csv:hulu' && i.sourceKey === 's1');
      assert.ok(merge, JSON.stringify(listed.merges));
      assert.match((await cli('ls')).stdout, /catalog-csv:hulu\/s1/);
      const split = await cli('override', 'catalog-csv:hulu', 's1', '--split');
      assert.match(split.stdout, new RegExp(`now belongs to mg_\\w+ \\(was ${merge.titleId}\\)`));
      const back = await cli('override', 'catalog-csv:hulu', 's1', '--into', merge.titleId, '--json');
      assert.equal(JSON.parse(back.stdout).titleId, merge.titleId);
      // Without the admin scope the gateway says so, and the CLI exits non-zero with its message.
      await assert.rejects(
        run(process.execPath, [CLI, 'resolution', 'ls', '--url', http], {
          env: { ...process.env, MG_TOKEN: await t.token('viewer-1', ['catalog:read']) },
        }),
        (e: { code: number; stderr: string }) => e.code !== 0 && /admin/i.test(e.stderr),
      );
    });

    test('bad overrides are 400/404 problems, never 500', async () => {
      const cases: Array<[unknown, number, string]> = [
        [{ source: 'catalog-csv:hulu', sourceKey: 's1', action: 'merge' }, 400, 'INVALID_INPUT'],
        [
          { source: 'catalog-csv:hulu', sourceKey: 's1', action: 'split', targetTitleId: 'mg_aaaaaaaaaaaa' },
          400,
          'INVALID_INPUT',
        ],
        [{ source: 'catalog-csv:hulu', sourceKey: 's1', action: 'delete' }, 400, 'INVALID_INPUT'],
        [{ source: 'catalog-csv:hulu', sourceKey: 's1', action: 'split', extra: true }, 400, 'INVALID_INPUT'],
        [
          { source: 'catalog-csv:hulu', sourceKey: 's1', action: 'merge', targetTitleId: 'not-an-id' },
          400,
          'INVALID_INPUT',
        ],
        [{ source: 'catalog-csv:hulu', sourceKey: 'nope', action: 'split' }, 404, 'NOT_FOUND'],
        [
          { source: 'catalog-csv:hulu', sourceKey: 's1', action: 'merge', targetTitleId: 'mg_aaaaaaaaaaaa' },
          404,
          'NOT_FOUND',
        ],
      ];
      for (const [payload, status, code] of cases) {
        const res = await override(payload);
        assert.equal(res.statusCode, status, `${JSON.stringify(payload)} → ${res.body}`);
        assert.equal(res.json().code, code);
      }
      const badQuery = await t.app.inject({ url: '/api/admin/resolution?below=2', headers: bearer(admin) });
      assert.equal(badQuery.statusCode, 400);
    });
  });
}
