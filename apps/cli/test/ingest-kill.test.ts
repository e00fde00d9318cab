import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDb } from '@media-gateway/db';
import { datasetsDir } from '@media-gateway/testkit';
import { CLI_BIN, runCli } from './run-cli.ts';

const data = datasetsDir();

async function snapshot(dataDir: string): Promise<string[]> {
  const db = await createDb({ dataDir });
  try {
    const rows = await db.query<{ k: string }>(
      `SELECT s.source || '/' || s.source_key || '→' || s.title_id || ':' || (SELECT count(*) FROM offers o
         WHERE o.source = s.source AND o.source_key = s.source_key) AS k
       FROM title_sources s ORDER BY 1`,
    );
    const titles = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles');
    return [`titles=${titles.rows[0]!.n}`, ...rows.rows.map((r) => r.k)];
  } finally {
    await db.close();
  }
}

test('kill -9 during ingestion, then a re-run: same final state as one clean run, no duplicates', {
  skip: data.skip,
  timeout: 300_000,
}, async () => {
  const files = [join(data.dir!, 'catalogs', 'hulu_titles.csv'), join(data.dir!, 'justwatch', 'hulu_titles.csv')];
  const root = await mkdtemp(join(tmpdir(), 'mg-kill-'));
  const killed = join(root, 'killed');
  const clean = join(root, 'clean');

  const child = spawn(process.execPath, [CLI_BIN, 'ingest', ...files], {
    env: { ...process.env, DATABASE_URL: '', MG_DATA_DIR: killed },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  // Kill once the first file has finished and the second is under way.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (out.includes('catalog-csv:hulu: completed')) {
        setTimeout(() => {
          child.kill('SIGKILL');
          clearInterval(timer);
          resolve();
        }, 1500);
      }
    }, 50);
  });
  await new Promise((r) => child.once('close', r));

  const resumed = await runCli(['ingest', ...files, '--json'], { MG_DATA_DIR: killed });
  assert.equal(resumed.code, 0, resumed.stderr);
  const once = await runCli(['ingest', ...files, '--json'], { MG_DATA_DIR: clean });
  assert.equal(once.code, 0, once.stderr);

  const [a, b] = [await snapshot(killed), await snapshot(clean)];
  assert.equal(a.length, b.length);
  assert.deepEqual(a, b);
  assert.equal(new Set(a).size, a.length, 'no duplicate records');
});
