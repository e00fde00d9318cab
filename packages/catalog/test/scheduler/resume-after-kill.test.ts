import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { createDb, type Db } from '@media-gateway/db';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { runLiveSource } from '../../src/scheduler/run-live-source.ts';
import { startFixtureServer } from '../../testing/fixture-server.ts';
import { tmdbRoutes } from '../../testing/tmdb-fixture-routes.ts';

async function snapshot(db: Db) {
  const titles = await db.query<{ id: string; title: string }>('SELECT id, title FROM titles ORDER BY id');
  const offers = await db.query<{ k: string }>(
    `SELECT title_id || '|' || platform || '|' || monetization || '|' || web_url AS k FROM offers ORDER BY 1`,
  );
  const records = await db.query<{ k: string }>(
    `SELECT source_key || '>' || title_id AS k FROM title_sources ORDER BY 1`,
  );
  return { titles: titles.rows, offers: offers.rows.map((r) => r.k), records: records.rows.map((r) => r.k) };
}

for (const backend of testBackends()) {
  describe(`kill -9 mid-run, then resume, on ${backend}`, () => {
    test('the resumed run starts from the checkpointed page and ends in the same state as an uninterrupted run', {
      timeout: 120_000,
    }, async () => {
      const server = await startFixtureServer(tmdbRoutes);
      server.delayMs = 150;
      const dir = await mkdtemp(join(tmpdir(), 'mg-kill-'));
      const schema = `mg_t_${randomBytes(6).toString('hex')}`;
      const childEnv =
        backend === 'postgres'
          ? { CHILD_DATABASE_URL: process.env['DATABASE_URL']!, CHILD_SCHEMA: schema }
          : { CHILD_DATA_DIR: dir };
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./live-run-child.ts', import.meta.url))],
        {
          env: { ...process.env, ...childEnv, CHILD_TMDB_URL: `${server.url}/3` },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      // Kill once the third movie's details have been served (two records committed with batch size 1).
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (server.requests.filter((r) => /^\/3\/movie\/\d+$/.test(r.path)).length >= 3) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
          if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`child exited before the kill: ${out}`));
          }
        }, 20);
      });
      await new Promise((r) => child.once('exit', r));
      assert.doesNotMatch(out, /finished/);
      server.delayMs = 0;

      const db = await createDb(
        backend === 'postgres' ? { databaseUrl: process.env['DATABASE_URL']!, schema } : { dataDir: dir },
      );
      try {
        const before = await db.query<{ status: string }>(`SELECT status FROM ingest_runs WHERE source = 'tmdb:US'`);
        assert.deepEqual(
          before.rows.map((r) => r.status),
          ['running'],
          'the killed run never finished',
        );
        const resumed = await runLiveSource({
          db,
          source: 'tmdb',
          region: 'US',
          mode: 'incremental',
          env: { TMDB_API_KEY: 'k', TMDB_BASE_URL: `${server.url}/3` },
        });
        assert.equal(resumed.status, 'completed');
        if (resumed.status !== 'completed') return;
        assert.ok((resumed.resumedFromRow ?? 0) > 1, `resumed from a later page (row ${resumed.resumedFromRow})`);
        const runs = await db.query<{ status: string }>(
          `SELECT status FROM ingest_runs WHERE source = 'tmdb:US' ORDER BY started_at`,
        );
        assert.deepEqual(
          runs.rows.map((r) => r.status),
          ['interrupted', 'completed'],
        );

        const clean = await freshDb(backend);
        try {
          const ref = await runLiveSource({
            db: clean,
            source: 'tmdb',
            region: 'US',
            mode: 'incremental',
            env: { TMDB_API_KEY: 'k', TMDB_BASE_URL: `${server.url}/3` },
          });
          assert.equal(ref.status, 'completed');
          assert.deepEqual(await snapshot(db), await snapshot(clean));
        } finally {
          await clean.close();
        }
      } finally {
        if (backend === 'postgres') await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
        await db.close();
        await server.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
