/**
 * bench:sync — edit on one device → visible on the user's other devices (SPEC.md B1).
 * Spawns real `media-gateway serve` processes (so clients and server do not share a CPU thread),
 * connects `--devices` clients (users × 5), and times edits end to end over loopback.
 * Cross-process figure: two gateways on PostgreSQL + Redis (needs DATABASE_URL and REDIS_URL).
 * Last stdout line: one JSON object.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTokenService } from '@media-gateway/auth';
import { createDb } from '@media-gateway/db';
import pg from 'pg';
import { WebSocket } from 'ws';
import { memoryStorage, readProgress, SyncClient, type WebSocketCtor } from '../src/index.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const ISSUER = 'http://bench.local';
const { values } = parseArgs({ options: { devices: { type: 'string' }, edits: { type: 'string' }, json: { type: 'boolean' }, steps: { type: 'string' } }, strict: true });
const DEVICES = Number(values.devices ?? 1000);
const EDITS = Number(values.edits ?? 300);
const STEPS = (values.steps ?? '250,500,1000,1500').split(',').map(Number).filter((n) => n > 0);
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const TITLE = 'mg_aaaaaaaaaaaa'; // a key in the bench users' own state; the bench never reads the catalog

async function serve(env: Record<string, string>): Promise<{ child: ChildProcess; ws: string; stop(): Promise<void> }> {
  const c2 = spawn(process.execPath, [join(ROOT, 'apps/cli/bin/media-gateway.js'), 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT, env: { ...process.env, MG_PUBLIC_URL: ISSUER, LOG_LEVEL: 'info', MG_SAMPLE_CATALOG: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const http = await new Promise<string>((ok, fail) => {
    c2.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) ok(m[1]);
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    c2.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    c2.once('exit', (code) => fail(new Error(`gateway exited ${code}: ${out}`)));
  });
  return { child: c2, ws: `${http.replace(/^http/, 'ws')}/sync`, stop: () => new Promise((done) => { c2.once('exit', () => done()); c2.kill('SIGTERM'); }) };
}

async function tokens(dbOptions: { dataDir?: string; databaseUrl?: string }, users: number): Promise<string[]> {
  const db = await createDb(dbOptions);
  const svc = await createTokenService(db, { issuer: ISSUER });
  const out: string[] = [];
  for (let i = 0; i < users; i++) out.push((await svc.issueAccessToken({ userId: `bench-${i}`, clientId: 'bench', scopes: ['watchlist:read', 'watchlist:write'], ttlSeconds: 900 })).token);
  await db.close();
  return out;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function connect(url: string, token: string, deviceId: string): Promise<SyncClient> {
  const c = await SyncClient.open({ url, token, deviceId, storage: memoryStorage(), WebSocket: WebSocket as unknown as WebSocketCtor });
  c.connect();
  await c.whenSynced();
  return c;
}

/** Each edit: one device sets a unique position; we time until every other device of that user shows it. */
async function measure(groups: SyncClient[][], edits: number, ratePerSec: number): Promise<number[]> {
  const samples: number[] = [];
  let pos = 1;
  const inflight: Promise<void>[] = [];
  for (let e = 0; e < edits; e++) {
    const group = groups[e % groups.length]!;
    const writer = group[e % group.length]!;
    const others = group.filter((c) => c !== writer);
    const value = pos++;
    const start = performance.now();
    inflight.push(Promise.all(others.map((c) => new Promise<void>((done) => {
      const check = () => {
        if (readProgress(c.doc).get(TITLE)?.positionSeconds === value) {
          samples.push(performance.now() - start);
          off();
          done();
        }
      };
      const off = c.on('change', check);
    }))).then(() => {}));
    writer.setProgress(TITLE, value);
    await new Promise((r) => setTimeout(r, 1000 / ratePerSec));
  }
  await Promise.race([Promise.all(inflight), new Promise((r) => setTimeout(r, 10_000))]);
  return samples;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2)) : null;
};

async function singleProcess(devices: number, edits: number): Promise<{ p50: number | null; p95: number | null; p99: number | null; bytesPerConn: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mg-bench-sync-'));
  const users = Math.max(1, Math.round(devices / 5));
  const toks = await tokens({ dataDir }, users);
  log("  tokens minted");
  const gw = await serve({ MG_DATA_DIR: dataDir });
  log("  gateway up");
  try {
    await new Promise((r) => setTimeout(r, 300));
    const before = rssBytes(gw.child.pid!);
    const groups: SyncClient[][] = [];
    for (let u = 0; u < users; u++) {
      groups.push(await Promise.all(Array.from({ length: 5 }, (_, d) => connect(gw.ws, toks[u]!, `d${d}`))));
    }
    await new Promise((r) => setTimeout(r, 500));
    log("  devices connected");
    const bytesPerConn = Math.round((rssBytes(gw.child.pid!) - before) / (users * 5));
    const samples = await measure(groups, edits, 50);
    for (const g of groups) for (const c of g) await c.close();
    return { p50: pct(samples, 50), p95: pct(samples, 95), p99: pct(samples, 99), bytesPerConn };
  } finally {
    await gw.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function crossProcess(): Promise<{ p95: number | null; note?: string }> {
  const base = process.env['DATABASE_URL'];
  const redis = process.env['REDIS_URL'];
  if (!base || !redis) return { p95: null, note: 'needs DATABASE_URL and REDIS_URL' };
  const name = `mg_bench_sync_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const users = 100;
  const toks = await tokens({ databaseUrl: url.toString() }, users);
  const a = await serve({ DATABASE_URL: url.toString(), REDIS_URL: redis });
  const b = await serve({ DATABASE_URL: url.toString(), REDIS_URL: redis });
  try {
    const groups: SyncClient[][] = [];
    for (let u = 0; u < users; u++) groups.push([await connect(a.ws, toks[u]!, 'pa'), await connect(b.ws, toks[u]!, 'pb')]);
    const samples = await measure(groups, 200, 50);
    for (const g of groups) for (const c of g) await c.close();
    return { p95: pct(samples, 95) };
  } finally {
    await a.stop();
    await b.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const started = Date.now();
log(`single process: ${DEVICES} devices, ${EDITS} edits`);
const main = await singleProcess(DEVICES, EDITS);
log(`  p50 ${main.p50} p95 ${main.p95} p99 ${main.p99} ms; ${main.bytesPerConn} B/connection`);
let maxUnder: number | null = main.p95 !== null && main.p95 < 100 ? DEVICES : null;
for (const n of STEPS.filter((s) => s !== DEVICES)) {
  if (Date.now() - started > 60_000) break;
  const r = await singleProcess(n, 100);
  log(`  step ${n} devices: p95 ${r.p95} ms`);
  if (r.p95 !== null && r.p95 < 100 && n > (maxUnder ?? 0)) maxUnder = n;
}
log('cross-process (2 gateways, PostgreSQL + Redis): 200 devices, 200 edits');
const cross = await crossProcess();
log(`  p95 ${cross.p95} ms${cross.note ? ` (${cross.note})` : ''}`);
process.stdout.write(`${JSON.stringify({
  devices: DEVICES, p50_ms: main.p50, p95_ms: main.p95, p99_ms: main.p99, cross_process_p95_ms: cross.p95,
  bytes_per_connection: main.bytesPerConn, max_devices_under_100ms: maxUnder,
  ...(cross.note ? { cross_process_note: cross.note } : {}), steps_measured: [DEVICES, ...STEPS.filter((s) => s !== DEVICES)],
})}\n`);
process.exit(0);
