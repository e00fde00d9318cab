import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getTitle } from '@media-gateway/catalog';
import { createDb } from '@media-gateway/db';
import { datasetsDir } from '@media-gateway/testkit';
// The TMDb stand-in of the catalog connector tests: documented v3 response shapes on 127.0.0.1.
import { type FixtureServer, startFixtureServer, tmdbRoutes } from '@media-gateway/catalog/testing';
import { runCli } from './run-cli.ts';

const data = datasetsDir();

// The CLI opens its own embedded PGlite in MG_DATA_DIR (run-cli.ts clears DATABASE_URL), so this runs on PGlite only.
describe('media-gateway ingest --source tmdb (the real binary against a local TMDb)', { skip: data.skip }, () => {
  let server: FixtureServer;
  let dataDir: string;
  const noKeys = { TMDB_API_KEY: '', TMDB_BEARER_TOKEN: '' };
  before(async () => {
    server = await startFixtureServer(tmdbRoutes);
    dataDir = await mkdtemp(join(tmpdir(), 'mg-ingest-live-'));
    // The file-imported catalog: JustWatch's Disney+ snapshot holds Star Wars (tt0076759), which TMDb also lists.
    const file = await runCli(['ingest', join(data.dir!, 'justwatch', 'disney_plus_titles.csv'), '--json'], {
      MG_DATA_DIR: dataDir,
      ...noKeys,
    });
    assert.equal(file.code, 0, file.stderr);
  });
  after(async () => {
    await server.close();
  });

  test('without a key: exit 5 and one line naming the variable to set; nothing is fetched', async () => {
    const r = await runCli(['ingest', '--source', 'tmdb', '--region', 'US'], {
      MG_DATA_DIR: dataDir,
      ...noKeys,
      TMDB_BASE_URL: `${server.url}/3`,
    });
    assert.equal(r.code, 5);
    assert.equal(r.stderr, 'media-gateway: tmdb: not configured — set TMDB_API_KEY or TMDB_BEARER_TOKEN\n');
    assert.equal(r.stdout, '');
    assert.equal(server.requests.length, 0);
  });

  test('a source that cannot be reached: exit 1, and the reason on the line after the status', async () => {
    // A data dir of its own: the failed run must not enter the history the next test reads.
    const r = await runCli(['ingest', '--source', 'tmdb', '--region', 'US'], {
      MG_DATA_DIR: await mkdtemp(join(tmpdir(), 'mg-ingest-unreachable-')),
      ...noKeys,
      TMDB_API_KEY: 'cli-key',
      TMDB_BASE_URL: 'http://127.0.0.1:9/3',
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /tmdb:US: failed in .*\n {2}error: tmdb: .+/);
  });

  test('with a key: exit 0, canonical titles with current offers, merged with the file’s title by IMDb', async () => {
    const r = await runCli(['ingest', '--source', 'tmdb', '--region', 'US', '--json'], {
      MG_DATA_DIR: dataDir,
      ...noKeys,
      TMDB_API_KEY: 'cli-key',
      TMDB_BASE_URL: `${server.url}/3`,
    });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      source: string;
      status: string;
      counts: {
        rows: number;
        rejected: number;
        recordsCreated: number;
        mergedIntoExisting: number;
        offersAdded: number;
      };
      outcome: { complete: boolean };
    };
    assert.equal(out.source, 'tmdb:US');
    assert.equal(out.status, 'completed');
    assert.equal(out.counts.rows, 6);
    assert.equal(out.counts.rejected, 1, 'the truncated fixture body');
    assert.equal(out.counts.recordsCreated, 5);
    assert.ok(out.counts.mergedIntoExisting >= 1, 'Star Wars joins the file-imported title');
    assert.ok(out.counts.offersAdded > 0);
    assert.ok(server.requests.length > 0 && server.requests.every((q) => q.query.get('api_key') === 'cli-key'));

    const db = await createDb({ dataDir });
    try {
      const ids = await db.query<{ title_id: string }>(
        `SELECT DISTINCT title_id FROM external_ids WHERE namespace = 'imdb' AND value = 'tt0076759'`,
      );
      assert.equal(ids.rows.length, 1, 'one canonical title for the IMDb id');
      const t = await getTitle(db, ids.rows[0]!.title_id, { region: 'US' });
      assert.ok(t);
      const sources = t.provenance.map((p) => p.source);
      assert.ok(sources.includes('tmdb:US'), `provenance: ${sources.join(', ')}`);
      assert.ok(
        sources.some((s) => s.startsWith('justwatch-csv')),
        `provenance: ${sources.join(', ')}`,
      );
      const offers = Object.values(t.offers['US'] ?? {}).flat();
      const fromTmdb = offers.filter((o) => o.source === 'tmdb:US');
      assert.ok(
        fromTmdb.some((o) => o.platform === 'apple-tv-store' && o.monetization === 'buy'),
        'TMDb buy offer on the Apple TV Store',
      );
      assert.ok(
        fromTmdb.every((o) => /Watch provider data by JustWatch/.test(o.attribution ?? '')),
        'TMDb offers carry the JustWatch attribution',
      );
      assert.ok(
        offers.some((o) => o.source.startsWith('justwatch-csv')),
        'the file-imported offers are still there',
      );
      const runs = await db.query<{ status: string }>(`SELECT status FROM ingest_runs WHERE source = 'tmdb:US'`);
      assert.deepEqual(
        runs.rows.map((x) => x.status),
        ['completed'],
        'the run is in the history; the unconfigured attempt left no run',
      );
    } finally {
      await db.close();
    }
  });
});
