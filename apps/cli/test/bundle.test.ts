import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { bundleState as state } from '../bin/bundle-check.js';
import { CLI_BIN } from './run-cli.ts';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(CLI_DIR, '..', '..');
const OLD = new Date('2001-01-01T00:00:00Z');
const NEW = new Date('2002-01-01T00:00:00Z');

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        DATABASE_URL: '',
        LOG_LEVEL: 'silent',
        MEDIA_GATEWAY_CLI: '',
        MEDIA_GATEWAY_CLI_DIST: '',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('compiled CLI: which one runs (decision 0012)', () => {
  // A fake layout: <dir>/src/a.ts built into <dir>/dist.
  let dir: string;
  let dist: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mg-cli-bundle-'));
    dist = join(dir, 'dist');
    mkdirSync(join(dir, 'src'));
    mkdirSync(dist);
    writeFileSync(join(dir, 'src', 'a.ts'), 'export {};\n');
    writeFileSync(join(dist, 'media-gateway.mjs'), '');
    writeFileSync(join(dist, 'bundle-meta.json'), JSON.stringify({ root: '..', inputs: ['src/a.ts'] }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fresh = () => {
    utimesSync(join(dir, 'src', 'a.ts'), OLD, OLD);
    utimesSync(join(dist, 'media-gateway.mjs'), NEW, NEW);
  };

  test('a bundle newer than every source it was built from runs', () => {
    fresh();
    assert.deepEqual(state(dir, {}), { kind: 'bundle', entry: join(dist, 'media-gateway.mjs') });
  });

  test('a source edited after the build (newer than the bundle) runs the sources, never the stale bundle', () => {
    fresh();
    utimesSync(join(dir, 'src', 'a.ts'), new Date(NEW.getTime() + 1000), new Date(NEW.getTime() + 1000));
    const s = state(dir, {});
    assert.equal(s.kind, 'sources');
    assert.match((s as { reason: string }).reason, /src\/a\.ts changed since the CLI was compiled/);
    // …unless asked for the bundle explicitly.
    assert.equal(state(dir, { MEDIA_GATEWAY_CLI: 'bundle' }).kind, 'bundle');
  });

  test('a deleted source, missing bundle or missing list runs the sources; MEDIA_GATEWAY_CLI=sources forces it', () => {
    fresh();
    assert.equal(state(dir, { MEDIA_GATEWAY_CLI: 'sources' }).kind, 'sources');
    rmSync(join(dir, 'src', 'a.ts'));
    assert.match((state(dir, {}) as { reason: string }).reason, /src\/a\.ts is gone/);
    writeFileSync(join(dir, 'src', 'a.ts'), 'export {};\n');
    fresh();
    rmSync(join(dist, 'bundle-meta.json'));
    assert.equal(state(dir, {}).kind, 'sources');
    rmSync(join(dist, 'media-gateway.mjs'));
    assert.equal(state(dir, {}).kind, 'sources');
  });
});

describe('compiled CLI: the real bundle', () => {
  // Built beside the repository's node_modules (its externals resolve from there), never over apps/cli/dist.
  const out = join(ROOT, 'test-artifacts', `cli-bundle-${process.pid}`);
  let data: string;
  before(async () => {
    const built = await run([join(CLI_DIR, 'scripts', 'build-cli.mjs'), '--strict', '--outdir', out], {});
    assert.equal(built.code, 0, built.stderr);
    data = mkdtempSync(join(tmpdir(), 'mg-cli-bundle-data-'));
  });
  after(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  test('it lists every source it was built from, and is fresh right after the build', () => {
    const meta = JSON.parse(readFileSync(join(out, 'bundle-meta.json'), 'utf8')) as { inputs: string[] };
    for (const f of ['apps/cli/src/main.ts', 'apps/gateway/src/compose.ts', 'packages/db/src/migrate.ts'])
      assert.ok(meta.inputs.includes(f), f);
    assert.ok(!meta.inputs.some((f) => f.includes('node_modules')));
    assert.equal(state(CLI_DIR, { MEDIA_GATEWAY_CLI_DIST: out }).kind, 'bundle');
  });

  test('the launcher runs the bundle while fresh and the sources once a source is newer', async () => {
    // Mark the bundle so its runs can be told apart (this also makes it newer than every source).
    const entry = join(out, 'media-gateway.mjs');
    const original = readFileSync(entry, 'utf8');
    writeFileSync(entry, `process.stdout.write('[bundle]\\n');\n${original}`);
    const env = { MEDIA_GATEWAY_CLI_DIST: out, MG_DATA_DIR: data };
    const viaBundle = await run([CLI_BIN, 'help'], env);
    assert.equal(viaBundle.code, 0);
    assert.match(viaBundle.stdout, /^\[bundle\]\nmedia-gateway — one door/);
    // Every source is now newer than the bundle: the launcher must not run it.
    utimesSync(entry, OLD, OLD);
    const viaSources = await run([CLI_BIN, 'help'], env);
    assert.equal(viaSources.code, 0);
    assert.equal(`[bundle]\n${viaSources.stdout}`, viaBundle.stdout);
    writeFileSync(entry, original);
  });

  test('same output and exit codes as the sources: help, usage errors, config error, a database command', async () => {
    const bundle = join(out, 'media-gateway.mjs');
    const sources = { MEDIA_GATEWAY_CLI: 'sources', MG_DATA_DIR: data };
    const cases: Array<[string[], Record<string, string>]> = [
      [['help', 'search'], {}],
      [['frobnicate'], {}],
      [['search'], {}],
      [['titles', 'ls', '--nope'], {}],
      [['titles', 'ls', '--json'], { MG_NOT_A_SETTING: '1' }],
      [['titles', 'ls', '--json'], {}],
      [['titles', 'show', 'mg_000000000000'], {}],
    ];
    for (const [args, env] of cases) {
      const a = await run([bundle, ...args], { MG_DATA_DIR: data, ...env });
      const b = await run([CLI_BIN, ...args], { ...sources, ...env });
      assert.deepEqual(a, b, args.join(' '));
    }
  });
});
