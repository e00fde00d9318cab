/**
 * bench:sync — edit on one device → visible on the person's other devices (SPEC.md B1, issue 5).
 *
 *   npm run bench:sync -- --json [--devices 1000] [--edits 300] [--steps 2000,3000] [--profile DIR]
 *
 * 1. One gateway (PGlite), `--devices` devices (users × 5): p50/p95/p99, memory per connection.
 * 2. More devices added to the same gateway at each `--steps` count until p95 passes 100 ms (or the
 *    time budget runs out): max_devices_under_100ms.
 * 3. Two gateways on PostgreSQL + Redis (DATABASE_URL, REDIS_URL), the same number of devices with
 *    each user's devices split between them: p95 for readers on the other process.
 * Progress goes to stderr; the last stdout line is one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import pg from 'pg';
import { type BenchDevice, closeAll, connectGroups, type Measured, measure, pct } from './bench-devices.ts';
import { type BenchGateway, mintTokens, openFileLimit, serve } from './bench-gateway.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    devices: { type: 'string' },
    edits: { type: 'string' },
    steps: { type: 'string' },
    json: { type: 'boolean' },
    profile: { type: 'string' },
    'budget-s': { type: 'string' },
  },
  strict: true,
});
const PER_USER = 5;
const RATE = 50; // edits per second, spread over users
const DEVICES = Number(values.devices ?? 1000);
const EDITS = Number(values.edits ?? 300);
const STEP_EDITS = 150;
const STEPS = (values.steps ?? '2000,3000,4000,6000')
  .split(',')
  .map(Number)
  .filter((n) => n > DEVICES)
  .sort((a, b) => a - b);
/** Stop adding step sizes once this much time has gone (the cross-process phase still has to run). */
const STEP_DEADLINE_MS = Number(values['budget-s'] ?? 100) * 1000;
const log = (msg: string) => process.stderr.write(`${msg}\n`);
if (!Number.isInteger(DEVICES) || DEVICES < 2 || !Number.isInteger(EDITS) || EDITS < 1) {
  log('--devices must be an integer ≥ 2 and --edits ≥ 1');
  process.exit(2);
}

const started = Date.now();
const runId = randomBytes(3).toString('hex');
const userIds = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `bench-${runId}-${tag}${i}`);
const usersFor = (devices: number) => Math.max(1, Math.round(devices / PER_USER));
const summary = (m: Measured) =>
  `p50 ${pct(m.visible, 50)} p95 ${pct(m.visible, 95)} p99 ${pct(m.visible, 99)} ms, ` +
  `ack p95 ${pct(m.ack, 95)} ms, ${m.visible.length} deliveries, ${m.missed} missed, ${m.rejected} rejected`;

// Each device holds one descriptor here and one in a gateway: cap the step sizes by our limit.
const fdLimit = openFileLimit();
const fdRoom = (n: number) => n + 200 <= fdLimit;
if (!fdRoom(DEVICES)) {
  log(`open-file limit ${fdLimit} is too low for ${DEVICES} devices: run "ulimit -n ${DEVICES + 1000}" first`);
  process.exit(2);
}
const steps = STEPS.filter(fdRoom);
if (steps.length < STEPS.length) log(`steps above ${fdLimit - 200} devices skipped (ulimit -n ${fdLimit})`);

interface CrossSetup {
  a: BenchGateway;
  b: BenchGateway;
  tokens: string[];
  drop(): Promise<void>;
}

/** Two gateways on a fresh PostgreSQL database and the shared Redis (started early, in parallel). */
async function startCross(): Promise<CrossSetup | string> {
  const base = process.env['DATABASE_URL'];
  const redis = process.env['REDIS_URL'];
  if (!base || !redis)
    return 'DATABASE_URL and REDIS_URL are not both set: two gateway processes need a shared PostgreSQL and Redis';
  const name = `mg_bench_sync_${runId}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const drop = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    // Minting first also runs the migrations, so the two gateways do not race to apply them.
    const tokens = await mintTokens({ databaseUrl: url.toString() }, userIds(usersFor(DEVICES), 'x'));
    const env = { DATABASE_URL: url.toString(), REDIS_URL: redis };
    const [a, b] = await Promise.all([serve({ env }), serve({ env })]);
    return { a, b, tokens, drop };
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
}

const dataDir = await mkdtemp(join(tmpdir(), 'mg-bench-sync-'));
const gateways: BenchGateway[] = [];
let crossSetup: CrossSetup | string | undefined;
let crossPending: Promise<CrossSetup | string> | undefined;
try {
  const maxUsers = usersFor(Math.max(DEVICES, ...steps));
  const singleTokens = await mintTokens({ dataDir }, userIds(maxUsers, 's'));
  crossPending = startCross();
  crossPending.catch(() => {});
  const single = await serve({
    env: { MG_DATA_DIR: dataDir },
    ...(values.profile ? { profileDir: values.profile } : {}),
  });
  gateways.push(single);

  // ---- 1. one process, DEVICES devices ----
  log(
    `single process (PGlite): ${DEVICES} devices ` +
      `(${usersFor(DEVICES)} users × ${PER_USER}), ${EDITS} edits at ${RATE}/s`,
  );
  const baseline = await single.memory();
  const target = () => ({ url: single.ws, gateway: 'a' });
  const groups: BenchDevice[][] = await connectGroups(
    singleTokens.slice(0, usersFor(DEVICES)).map((token) => ({ token })),
    PER_USER,
    target,
  );
  await new Promise((r) => setTimeout(r, 500));
  const loaded = await single.memory();
  const connections = groups.length * PER_USER;
  // JS heap + external buffers after a full GC (memory-probe.cjs): what connections and their
  // users' rooms hold. RSS deltas were useless here (negative: V8 and PGlite give pages back).
  const bytesPerConnection = Math.round(
    (loaded.heapUsed + loaded.external - baseline.heapUsed - baseline.external) / connections,
  );
  const rssPerConnection = Math.round((loaded.rss - baseline.rss) / connections);
  log(
    `  connected in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      `${bytesPerConnection} B heap+external (${rssPerConnection} B RSS) per connection`,
  );
  const main = await measure(groups, EDITS, RATE);
  log(`  ${summary(main)}`);

  // ---- 2. more devices on the same process until p95 passes 100 ms ----
  const stepResults: Array<{ devices: number; p95_ms: number | null; missed: number }> = [
    { devices: connections, p95_ms: pct(main.visible, 95), missed: main.missed },
  ];
  for (const step of steps) {
    if (Date.now() - started > STEP_DEADLINE_MS) {
      log(`  step ${step} skipped: time budget`);
      break;
    }
    const more = await connectGroups(
      singleTokens.slice(groups.length, usersFor(step)).map((token) => ({ token })),
      PER_USER,
      target,
    );
    groups.push(...more);
    await new Promise((r) => setTimeout(r, 500));
    const r = await measure(groups, STEP_EDITS, RATE);
    stepResults.push({ devices: groups.length * PER_USER, p95_ms: pct(r.visible, 95), missed: r.missed });
    log(`  step ${groups.length * PER_USER} devices: ${summary(r)}`);
    if ((pct(r.visible, 95) ?? Infinity) > 100 || r.missed > 0) break;
  }
  await closeAll(groups);
  const passing = stepResults.filter((s) => s.p95_ms !== null && s.p95_ms <= 100 && s.missed === 0);
  const maxUnder = passing.length ? Math.max(...passing.map((s) => s.devices)) : null;
  const lowerBound = maxUnder !== null && maxUnder === stepResults.at(-1)!.devices;

  // ---- 3. two processes through Redis ----
  crossSetup = await crossPending;
  let cross: Measured | undefined;
  if (typeof crossSetup === 'string') {
    log(`cross-process skipped: ${crossSetup}`);
  } else {
    const { a, b, tokens } = crossSetup;
    gateways.push(a, b);
    log(
      `cross-process (2 gateways, PostgreSQL + Redis): ${tokens.length * PER_USER} devices, ` +
        `each user's split 3/2, ${EDITS} edits`,
    );
    const crossGroups = await connectGroups(
      tokens.map((token) => ({ token })),
      PER_USER,
      (d) => (d % 2 === 0 ? { url: a.ws, gateway: 'a' } : { url: b.ws, gateway: 'b' }),
    );
    await new Promise((r) => setTimeout(r, 500));
    cross = await measure(crossGroups, EDITS, RATE);
    log(`  ${summary(cross)}; other-process readers p95 ${pct(cross.crossVisible, 95)} ms`);
    await closeAll(crossGroups);
  }

  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(
    `${JSON.stringify({
      devices: connections,
      p50_ms: pct(main.visible, 50),
      p95_ms: pct(main.visible, 95),
      p99_ms: pct(main.visible, 99),
      cross_process_p95_ms: cross ? pct(cross.crossVisible, 95) : null,
      bytes_per_connection: bytesPerConnection,
      max_devices_under_100ms: maxUnder,
      // Context for the figures above.
      ack_p95_ms: pct(main.ack, 95),
      missed_deliveries: main.missed + (cross?.missed ?? 0),
      rejected_edits: main.rejected + (cross?.rejected ?? 0),
      bytes_per_connection_basis: "V8 heap + external after full GC, per connected device (includes its user's room)",
      rss_delta_per_connection: rssPerConnection,
      steps: stepResults,
      ...(lowerBound ? { max_devices_note: 'every measured step passed: a lower bound (add larger --steps)' } : {}),
      ...(typeof crossSetup === 'string'
        ? { cross_process_note: crossSetup }
        : { cross_process_devices: crossSetup.tokens.length * PER_USER }),
    })}\n`,
  );
} finally {
  // Also when we failed before reaching the cross-process phase: its gateways may be up.
  if (crossSetup === undefined && crossPending) crossSetup = await crossPending.catch(() => undefined);
  if (crossSetup && typeof crossSetup !== 'string')
    for (const g of [crossSetup.a, crossSetup.b]) if (!gateways.includes(g)) gateways.push(g);
  await Promise.all(gateways.map((g) => g.stop()));
  if (crossSetup && typeof crossSetup !== 'string') await crossSetup.drop().catch(() => {});
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(0);
