import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI_BIN, runCli } from './run-cli.ts';

test('serve on an empty data dir loads the sample catalog, ' +
  'answers /healthz and lists titles; the CLI reads through it', {
  timeout: 120_000,
}, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'mg-serve-'));
  const started = Date.now();
  const child = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: { ...process.env, DATABASE_URL: '', MG_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let log = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        log += d;
        const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(log);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
    });
    assert.match(log, /SAMPLE catalog/, 'the log says the sample catalog was loaded');
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 60, `took ${seconds}s (the 10 s target is measured by hand, not here)`);
    const titles = (await (await fetch(`${url}/api/titles?limit=100`)).json()) as { items: Array<{ title: string }> };
    assert.ok(titles.items.length >= 60, `sample has ${titles.items.length} titles`);
    assert.ok(titles.items.some((t) => t.title === 'Stranger Things'));
    // With the server holding the embedded database, CLI reads go through its HTTP API.
    const ls = await runCli(['titles', 'ls', '--platform', 'netflix', '--json'], { MG_DATA_DIR: dataDir });
    assert.equal(ls.code, 0, ls.stderr);
    assert.ok(JSON.parse(ls.stdout).items.length > 0);
    const ingest = await runCli(['ingest', join(dataDir, 'nothing.csv')], { MG_DATA_DIR: dataDir });
    assert.notEqual(ingest.code, 0);
    // A second server on the same data directory is told who holds it, in one line, not with a stack trace.
    const second = await runCli(['serve', '--port', '0'], { MG_DATA_DIR: dataDir });
    assert.notEqual(second.code, 0);
    assert.equal(
      second.stderr,
      `media-gateway: cannot start: The data directory ${dataDir} is in use by process ${child.pid} (${url}). ` +
        'Stop it, or point this command at it with --url.\n',
    );
    // From anywhere else, MG_URL names the gateway: a read goes there, not to an empty local data dir.
    const elsewhere = await mkdtemp(join(tmpdir(), 'mg-elsewhere-'));
    const viaUrl = await runCli(['search', 'stranger things', '--json'], { MG_DATA_DIR: elsewhere, MG_URL: url });
    assert.equal(viaUrl.code, 0, viaUrl.stderr);
    assert.equal(JSON.parse(viaUrl.stdout).results[0]?.title, 'Stranger Things');
    // The README's headline query: nothing in the sample meets it all, so the closest titles, each with what it misses.
    const headline = await runCli(['search', 'scary movies like Stranger Things on Netflix under 2 hours'], {
      MG_DATA_DIR: elsewhere,
      MG_URL: url,
    });
    assert.equal(headline.code, 0, headline.stderr);
    assert.match(headline.stdout, /no titles meet every constraint\.\nclosest titles \(each with what it misses\):/);
    assert.ok((headline.stdout.match(/^ {4}misses: /gm) ?? []).length >= 5, headline.stdout);
    assert.match(
      headline.stdout,
      /Bird Box \(movie, 2018\).*\n {4}misses: 124 min — over your 2 hours\n {4}on Netflix, as of 2025-06-01 \(stale\)\n/,
    );
    // Each offer line says when its source saw it.
    const human = await runCli(['search', 'stranger things'], { MG_DATA_DIR: elsewhere, MG_URL: url });
    assert.match(human.stdout, /^ {4}Netflix \(subscription\) https:\/\/\S+ \[.+\] as of 2025-06-01 \(stale\)$/m);
    // No gateway there: the command says so and reads the local data dir (empty here).
    const closed = 'http://127.0.0.1:9';
    const local = await runCli(['titles', 'ls', '--json'], { MG_DATA_DIR: elsewhere, MG_URL: closed });
    assert.equal(local.code, 0, local.stderr);
    assert.match(local.stderr, /no gateway answers at MG_URL \(http:\/\/127\.0\.0\.1:9\)/);
    assert.equal(JSON.parse(local.stdout).items.length, 0);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
});
