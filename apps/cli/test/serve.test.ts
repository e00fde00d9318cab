import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI_BIN, runCli } from './run-cli.ts';

test('serve on an empty data dir loads the sample catalog, answers /healthz and lists titles; the CLI reads through it', {
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
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
  }
});
