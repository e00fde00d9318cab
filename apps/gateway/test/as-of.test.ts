import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../cli/test/run-cli.ts';
import { call, httpClient, ok } from './mcp-helpers.ts';
import { startGateway, type GatewayProcess } from './sync-process-helpers.ts';

const HEADER = 'show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description';
const row = (id: string, title: string, year: number) =>
  `${id},Movie,${title},Some Director,Some Actor,United States,,${year},PG-13,101 min,"Dramas",A film about ${title}.`;

type Offer = { platform: string; age: string; lastSeen: string | null; isStale: boolean };
const offersOf = (body: { offers: Record<string, Record<string, Offer[]>> }) =>
  Object.values(body.offers.US ?? {}).flat();

/**
 * Issue 15: a file's availability is as old as the file. `ingest --as-of` dates it; without it the
 * offers say "as of unknown"; a re-import never makes them look newer or older than a source saw.
 * The age shows in REST (titles show --json prints the API body), the CLI, search and MCP.
 */
describe('availability says how old it is (ingest --as-of)', () => {
  const env: Record<string, string> = {};
  let dated = '';
  let undated = '';
  let gw: GatewayProcess | undefined;
  before(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mg-asof-'));
    env['MG_DATA_DIR'] = join(dir, 'data');
    await writeFile(join(dir, 'netflix_titles.csv'), [HEADER, row('s1', 'Quiet Harbour', 2019)].join('\n'));
    await writeFile(join(dir, 'hulu_titles.csv'), [HEADER, row('s1', 'Loud Valley', 2020)].join('\n'));
    const a = await runCli(['ingest', join(dir, 'netflix_titles.csv'), '--as-of', '2021-09-25'], env);
    assert.equal(a.code, 0, a.stderr);
    const b = await runCli(['ingest', join(dir, 'hulu_titles.csv')], env);
    assert.equal(b.code, 0, b.stderr);
    const ls = JSON.parse((await runCli(['titles', 'ls', '--json'], env)).stdout) as {
      items: Array<{ id: string; title: string }>;
    };
    dated = ls.items.find((i) => i.title === 'Quiet Harbour')!.id;
    undated = ls.items.find((i) => i.title === 'Loud Valley')!.id;
  });
  after(async () => gw?.stop());

  const show = async (id: string) => {
    const r = await runCli(['titles', 'show', id, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    return offersOf(JSON.parse(r.stdout));
  };

  test('REST and CLI: "as of 2021-09-25" with --as-of, "as of unknown" without; both count as stale', async () => {
    const d = await show(dated);
    assert.deepEqual(
      d.map((o) => [o.platform, o.age, o.lastSeen, o.isStale]),
      [['netflix', 'as of 2021-09-25', '2021-09-25T00:00:00.000Z', true]],
    );
    const u = await show(undated);
    assert.deepEqual(
      u.map((o) => [o.platform, o.age, o.lastSeen, o.isStale]),
      [['hulu', 'as of unknown', null, true]],
    );
    const text = await runCli(['titles', 'show', dated], env);
    assert.match(text.stdout, /netflix.*as of 2021-09-25 \(stale\)/i);
  });

  test('re-imports never move the date: an older snapshot or an undated one keeps 2021-09-25', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mg-asof-again-'));
    await writeFile(join(dir, 'netflix_titles.csv'), [HEADER, row('s1', 'Quiet Harbour', 2019)].join('\n'));
    assert.equal((await runCli(['ingest', join(dir, 'netflix_titles.csv'), '--as-of', '2020-01-01'], env)).code, 0);
    assert.equal((await runCli(['ingest', join(dir, 'netflix_titles.csv')], env)).code, 0);
    assert.equal((await show(dated))[0]!.age, 'as of 2021-09-25');
    for (const bad of ['2099-01-01', '2021-13-01', 'yesterday']) {
      const r = await runCli(['ingest', join(dir, 'netflix_titles.csv'), '--as-of', bad], env);
      assert.equal(r.code, 2, `--as-of ${bad}`);
      assert.match(r.stderr, /--as-of /);
    }
  });

  test('search results and MCP check_availability carry the same age', async () => {
    const s = await runCli(['search', 'quiet harbour', '--json'], env);
    assert.equal(s.code, 0, s.stderr);
    const hit = (JSON.parse(s.stdout) as { results: Array<{ id: string; offers: Offer[] }> }).results.find(
      (r) => r.id === dated,
    )!;
    assert.equal(hit.offers[0]!.age, 'as of 2021-09-25');
    // Imported data is not sample data: no marker on the response or its offers.
    assert.equal(JSON.parse(s.stdout).sampleData, undefined);
    assert.ok(hit.offers.every((o) => !('sample' in o)));
    gw = await startGateway({ MG_DATA_DIR: env['MG_DATA_DIR']! });
    const { client } = await httpClient(gw.http);
    const avail = ok<{ offers: Array<{ age: string; lastSeen?: string }> }>(
      await call(client, 'check_availability', { title_id: undated, region: 'US' }),
    );
    assert.equal(avail.offers[0]!.age, 'as of unknown');
    assert.equal(avail.offers[0]!.lastSeen, undefined);
    const md = await (await fetch(`${gw.http}/title/${dated}.llm.md`)).text();
    assert.match(md, /as of 2021-09-25 \(stale\)/);
    await client.close();
  });
});
