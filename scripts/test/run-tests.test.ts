import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const runner = new URL('../run-tests.mjs', import.meta.url).pathname;

/** An environment in which every CI requirement is present (as stand-in files in a temp dir). */
function readyEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-preflight-'));
  mkdirSync(join(dir, 'bin'));
  // Stand-ins for the binaries the preflight looks for, so the test does not depend on this machine's PATH.
  for (const bin of ['redis-server', 'promtool', 'prometheus', 'haproxy']) {
    writeFileSync(join(dir, 'bin', bin), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', bin), 0o755);
  }
  writeFileSync(join(dir, 'chromium'), '');
  mkdirSync(join(dir, 'datasets', 'catalogs'), { recursive: true });
  return {
    PATH: `${join(dir, 'bin')}:${process.env['PATH']}`,
    CI: 'true',
    DATABASE_URL: 'postgres://x@127.0.0.1/test',
    REDIS_URL: 'redis://127.0.0.1:6379',
    MG_CHROMIUM: join(dir, 'chromium'),
    MG_DATASETS: join(dir, 'datasets'),
  };
}

const preflight = (env: Record<string, string>) =>
  spawnSync(process.execPath, [runner, '--preflight'], { env, encoding: 'utf8' });

describe('the test runner in CI cannot skip silently', () => {
  test('with everything present the preflight passes', () => {
    const r = preflight(readyEnv());
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /preflight: ready/);
  });

  test('a removed REDIS_URL fails the run with a clear message', () => {
    const { REDIS_URL: _gone, ...env } = readyEnv();
    const r = preflight(env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /CI=true, but this run cannot test everything/);
    assert.match(r.stderr, /REDIS_URL is not set/);
  });

  test('every missing piece is named at once; PGlite-only is an explicit choice', () => {
    const env = { ...readyEnv(), MG_CHROMIUM: '/nonexistent/chromium', MG_DATASETS: '/nonexistent' };
    delete (env as Record<string, string | undefined>)['DATABASE_URL'];
    const r = preflight(env);
    assert.equal(r.status, 1);
    for (const what of [
      /DATABASE_URL is not set/,
      /Chromium is not at \/nonexistent\/chromium/,
      /MG_DATASETS does not point/,
    ])
      assert.match(r.stderr, what);
    const pgliteOnly = preflight({
      ...env,
      MG_CHROMIUM: readyEnv()['MG_CHROMIUM']!,
      MG_DATASETS: readyEnv()['MG_DATASETS']!,
      MG_TEST_BACKENDS: 'pglite',
    });
    assert.equal(pgliteOnly.status, 0, pgliteOnly.stderr);
  });

  test('outside CI nothing is required', () => {
    const r = preflight({ PATH: process.env['PATH']! });
    assert.equal(r.status, 0, r.stderr);
  });
});
