import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { manualClock } from '@media-gateway/domain';
import type { SearchResponse } from '@media-gateway/domain/contracts';
import { testBackends } from '@media-gateway/testkit';
import { call, httpClient, ok } from './mcp-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '..', '..', 'cli', 'bin', 'media-gateway.js');

const DAY = 86_400_000;
const NOW = Date.parse('2025-06-03T12:00:00Z');

/**
 * "What's leaving Netflix?": only titles whose offer there ends within 30 days of the gateway's clock. The sample
 * carries no end dates (no file does: they come from live sources such as Streaming Availability), so the test gives
 * five Netflix titles one, as a live source would.
 */
for (const backend of testBackends()) {
  describe(`search for titles leaving a service (${backend})`, () => {
    let t: TestApp;
    const ids: Record<'soon' | 'edge' | 'later' | 'ended' | 'kept', string> = {
      soon: '',
      edge: '',
      later: '',
      ended: '',
      kept: '',
    };
    const sorted = (list: string[]) => [...list].sort();
    before(async () => {
      t = await createTestApp({ backend, sample: true, clock: manualClock(NOW) });
      const { rows } = await t.ctx.db.query<{ title_id: string }>(
        `SELECT DISTINCT title_id FROM offers WHERE platform = 'netflix' AND region = 'US' ORDER BY 1 LIMIT 5`,
      );
      [ids.soon, ids.edge, ids.later, ids.ended, ids.kept] = rows.map((r) => r.title_id) as [
        string,
        string,
        string,
        string,
        string,
      ];
      const ends: Array<[string, number]> = [
        [ids.soon, NOW + 10 * DAY],
        [ids.edge, NOW + 30 * DAY], // the window's last moment: in
        [ids.later, NOW + 60 * DAY],
        [ids.ended, NOW], // ended at the clock: out
        [ids.kept, NOW + 5 * DAY],
      ];
      for (const [id, at] of ends)
        await t.ctx.db.query(
          `UPDATE offers SET available_until = $2 WHERE title_id = $1 AND platform = 'netflix' AND region = 'US'`,
          [id, new Date(at)],
        );
      // Another source still lists the kept title on Netflix with no end date: it is not leaving (as for the alerts).
      await t.ctx.db.query(
        `INSERT INTO offers (source, source_key, platform, region, monetization, title_id, web_url, url_kind, seen_at)
         SELECT 'another-source', source_key, platform, region, monetization, title_id, web_url, url_kind, seen_at
         FROM offers WHERE title_id = $1 AND platform = 'netflix' AND region = 'US' LIMIT 1`,
        [ids.kept],
      );
    });
    after(() => t.close());

    const search = async (query: string, region = 'US') =>
      (await t.app.inject({ method: 'POST', url: '/api/search', payload: { query, region } })).json() as SearchResponse;

    it("[Q18] 'what's leaving netflix' lists what ends within 30 days, with the date", async () => {
      const body = await search("what's leaving netflix");
      assert.equal(body.understood.leavingWithinDays, 30);
      assert.deepEqual(body.understood.services, ['netflix']);
      assert.deepEqual(sorted(body.results.map((r) => r.id)), sorted([ids.soon, ids.edge]));
      const soon = body.results.find((r) => r.id === ids.soon)!;
      const day = new Date(NOW + 10 * DAY).toISOString().slice(0, 10);
      assert.match(soon.why, new RegExp(`leaves Netflix on ${day}`));
      const netflix = soon.offers.find((o) => o.platform === 'netflix');
      assert.equal(netflix?.availableUntil, new Date(NOW + 10 * DAY).toISOString());
    });

    it('[Q18] "this week" is 7 days, "next week" 14, "next month" 60', async () => {
      const leaving = async (query: string) => {
        const body = await search(query);
        return [body.understood.leavingWithinDays, sorted(body.results.map((r) => r.id))];
      };
      assert.deepEqual(await leaving('leaving netflix this week'), [7, []]);
      assert.deepEqual(await leaving('leaving netflix next week'), [14, [ids.soon]]);
      assert.deepEqual(await leaving('leaving netflix next month'), [60, sorted([ids.soon, ids.edge, ids.later])]);
    });

    it('[Q18] the CLI and MCP say when each title leaves', async () => {
      const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const day = new Date(NOW + 10 * DAY).toISOString().slice(0, 10);
      const cli = await run(process.execPath, [CLI, 'search', "what's leaving netflix", '--url', base]);
      assert.match(cli.stdout, new RegExp(`Netflix \\(subscription\\) .*, leaves ${day}`));
      const { client } = await httpClient(base);
      try {
        const hits = ok<{ results: Array<{ id: string; leaves?: string }> }>(
          await call(client, 'semantic_search', { query: "what's leaving netflix", region: 'US' }),
        ).results;
        assert.equal(hits.find((h) => h.id === ids.soon)?.leaves, day);
      } finally {
        await client.close();
      }
    });

    it('[Q18] a region no source gave end dates for says so, instead of "try removing"', async () => {
      const body = await search('leaving soon', 'GB');
      assert.deepEqual(body.results, []);
      assert.match(body.understood.notes.join(' '), /No source has reported when titles leave GB yet/);
    });
  });
}
