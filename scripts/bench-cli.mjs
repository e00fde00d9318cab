#!/usr/bin/env node
/**
 * bench:cli — how long the real `media-gateway` binary takes, as a person runs it (decision 0012):
 * `help`, `titles ls --json` on an empty data dir, and `search "space adventure" --json` on the four
 * real catalogs, in-process (no server), through a running `serve` on the same data dir (the CLI
 * then asks it over HTTP) and, from an empty data dir, through the same server named by MG_URL. Each
 * is the median wall time of --runs spawns, with the compiled CLI and, for comparison, with the
 * TypeScript sources (MEDIA_GATEWAY_CLI=sources). The first search (which
 * trains the local model and saves the index under <dataDir>/search) is reported apart.
 * Needs MG_DATASETS (or --datasets); --data-dir reuses an already ingested data dir. Prints one JSON
 * object as the last line (only that line with --json).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleState } from '../apps/cli/bin/bundle-check.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cliDir = join(root, 'apps', 'cli');
const BIN = join(cliDir, 'bin', 'media-gateway.js');
const FILES = ['netflix_titles.csv', 'amazon_prime_titles.csv', 'disney_plus_titles.csv', 'hulu_titles.csv'];
const QUERY = 'space adventure';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string' },
    'data-dir': { type: 'string' },
    runs: { type: 'string' },
    json: { type: 'boolean' },
    'skip-sources': { type: 'boolean' },
  },
  strict: true,
});
const runs = Number(values.runs ?? 5);
if (!Number.isInteger(runs) || runs < 1) {
  console.error('--runs must be a whole number of at least 1');
  process.exit(2);
}
const datasets = values.datasets ?? process.env['MG_DATASETS'];
if (!values['data-dir'] && !datasets) {
  console.error(
    'bench:cli needs the datasets: set MG_DATASETS or pass --datasets <dir> (or --data-dir <ingested dir>)',
  );
  process.exit(2);
}
const log = (line) => {
  if (!values.json) console.log(line);
};
const state = bundleState(cliDir, {});
if (state.kind !== 'bundle') log(`note: the compiled CLI is not in use (${state.reason}); run "npm run build:cli"`);

const temp = mkdtempSync(join(tmpdir(), 'mg-bench-cli-'));
const emptyDir = join(temp, 'empty');
const dataDir = values['data-dir'] ?? join(temp, 'catalog');
// The CLI's own environment, as a user's shell would give it: no PostgreSQL, the data dir, quiet logs.
const baseEnv = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' };
delete baseEnv.MEDIA_GATEWAY_CLI;

function runOnce(args, env) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`media-gateway ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 400)}`);
  return { ms, stdout: r.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return Math.round(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2);
};

/** Median of `runs` spawns after one unmeasured warm-up (file cache, tsx's transpile cache). */
function time(label, args, env) {
  runOnce(args, env);
  const ms = [];
  for (let i = 0; i < runs; i++) ms.push(runOnce(args, env).ms);
  log(`${label.padEnd(34)} median ${median(ms)} ms  (${ms.map(Math.round).join(', ')})`);
  return median(ms);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const modes = values['skip-sources'] ? ['bundle'] : ['bundle', 'sources'];
const envFor = (mode, dir) => ({ ...baseEnv, MG_DATA_DIR: dir, MEDIA_GATEWAY_CLI: mode });
const result = {
  cli: state.kind === 'bundle' ? 'bundle' : `sources (${state.reason})`,
  node: process.version,
  runs,
  query: QUERY,
};
let server;
try {
  for (const mode of modes) {
    result[`help_ms_${mode}`] = time(`help (${mode})`, ['help'], envFor(mode, emptyDir));
    result[`titles_ls_empty_ms_${mode}`] = time(
      `titles ls --json, empty (${mode})`,
      ['titles', 'ls', '--json'],
      envFor(mode, emptyDir),
    );
  }

  if (!values['data-dir']) {
    const files = FILES.map((f) => join(datasets, 'catalogs', f));
    const missing = files.filter((f) => !existsSync(f));
    if (missing.length) throw new Error(`missing catalog files: ${missing.join(', ')}`);
    const ingest = runOnce(['ingest', ...files, '--json'], envFor('bundle', dataDir));
    result.ingest_ms = Math.round(ingest.ms);
    result.titles = JSON.parse(ingest.stdout).files.reduce((n, f) => n + f.counts.titlesCreated, 0);
    log(`ingest of the four catalogs          ${result.ingest_ms} ms (${result.titles} titles)`);
    const first = runOnce(['search', QUERY, '--json'], envFor('bundle', dataDir));
    result.search_first_ms = Math.round(first.ms);
    log(`first search (trains, saves index)   ${result.search_first_ms} ms`);
  }
  for (const mode of modes)
    result[`search_inprocess_ms_${mode}`] = time(
      `search in-process (${mode})`,
      ['search', QUERY, '--json'],
      envFor(mode, dataDir),
    );

  // A running server on the same data dir: the CLI finds its lock file and asks it over HTTP.
  const port = await freePort();
  server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...envFor('bundle', dataDir), MG_API_RATE_LIMIT: '0', MG_API_RATE_LIMIT_ANONYMOUS: '0' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    // Ready, and the vector index loaded (a search says so in its notes while it loads).
    if (ok) {
      const res = JSON.parse(runOnce(['search', QUERY, '--json'], envFor('bundle', dataDir)).stdout);
      if (!res.understood.notes.some((n) => /still loading/.test(n))) break;
    }
    if (Date.now() > deadline) throw new Error('the server did not get ready in 120 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const mode of modes)
    result[`search_http_ms_${mode}`] = time(
      `search via the server (${mode})`,
      ['search', QUERY, '--json'],
      envFor(mode, dataDir),
    );
  // From anywhere else: MG_URL names the gateway (the CLI checks /healthz, then asks it).
  for (const mode of modes)
    result[`search_mg_url_ms_${mode}`] = time(`search via MG_URL (${mode})`, ['search', QUERY, '--json'], {
      ...envFor(mode, emptyDir),
      MG_URL: `http://127.0.0.1:${port}`,
    });
} finally {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGINT');
    await exited;
  }
  rmSync(temp, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
