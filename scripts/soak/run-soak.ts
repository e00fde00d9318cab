import { createTokenService, type Scope } from '@media-gateway/auth';
import { createDb } from '@media-gateway/db';
import { memoryStorage, readProgress, SyncClient, type WebSocketCtor } from '@media-gateway/sync';
import { WebSocket } from 'ws';
import { sleep } from '../cluster/procs.ts';
import { type Cluster, startCluster } from '../cluster/start-cluster.ts';
import { closeDevices, type Device, deviceEdit, deviceView, openDevices, settleDevices } from './devices.ts';
import { type FaultResult, runFaults, schedule } from './faults.ts';
import { differences, Ledger, type UserView, viewOf } from './ledger.ts';
import { Recorder } from './stats.ts';
import { drive, http, McpPool, oneRequest, type TrafficContext } from './traffic.ts';

export interface SoakOptions {
  seconds: number;
  replicas: number;
  /** Offered HTTP requests/s (REST + MCP), the same for every run of a comparison. */
  rate?: number;
  /** Device edits/s over /sync. */
  deviceRate?: number;
  users?: number;
  devices?: number;
  devicesPerUser?: number;
  /** Run the fault schedule (the single-replica baseline does not). */
  faults?: boolean;
  /** Send the load to the first replica directly instead of through HAProxy (the baseline). */
  direct?: boolean;
  postgres?: 'machine' | 'private';
  haproxyPort?: number;
  redisPort?: number;
  freezeSeconds?: number;
  log?: (line: string) => void;
}

const SCOPES: Scope[] = ['catalog:read', 'watchlist:read', 'watchlist:write', 'devices', 'recommendations'];

async function mint(cluster: Cluster, users: string[], ttlSeconds: number): Promise<Map<string, string>> {
  const db = await createDb({ databaseUrl: cluster.databaseUrl });
  try {
    const tokens = await createTokenService(db, { issuer: cluster.publicUrl });
    const out = new Map<string, string>();
    for (const u of users)
      out.set(u, (await tokens.issueAccessToken({ userId: u, clientId: 'soak', scopes: SCOPES, ttlSeconds })).token);
    return out;
  } finally {
    await db.close();
  }
}

async function titleIds(cluster: Cluster): Promise<string[]> {
  const db = await createDb({ databaseUrl: cluster.databaseUrl });
  try {
    return (await db.query<{ id: string }>('SELECT id FROM titles ORDER BY id')).rows.map((r) => r.id);
  } finally {
    await db.close();
  }
}

async function pool<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function runSoak(options: SoakOptions) {
  const log = options.log ?? (() => {});
  const seconds = options.seconds;
  const rate = options.rate ?? 40;
  const nUsers = options.users ?? 300;
  const perUser = options.devicesPerUser ?? 3;
  const deviceUsers = Math.ceil((options.devices ?? 210) / perUser);
  const cluster = await startCluster({
    replicas: options.replicas,
    postgres: options.postgres ?? 'private',
    haproxyPort: options.haproxyPort,
    redisPort: options.redisPort,
    env: { MG_API_RATE_LIMIT: '0', MG_API_RATE_LIMIT_ANONYMOUS: '0' },
    log,
  });
  const devices: Device[] = [];
  let probeDevice: SyncClient | undefined;
  let mcp: McpPool | undefined;
  try {
    const base = options.direct ? cluster.replicas[0]!.url : cluster.url;
    const wsUrl = `${base.replace(/^http/, 'ws')}/sync`;
    const titles = await titleIds(cluster);
    const users = Array.from({ length: nUsers }, (_, i) => `soak-u${i}`);
    const all = [...users, 'soak-probe', 'soak-mcp0', 'soak-mcp1', 'soak-mcp2', 'soak-mcp3'];
    const tokens = await mint(cluster, all, seconds * 3 + 3_600);
    const ledger = new Ledger(titles);
    const rec = new Recorder();
    mcp = new McpPool(
      base,
      ['soak-mcp0', 'soak-mcp1', 'soak-mcp2', 'soak-mcp3'].map((u) => tokens.get(u)!),
    );

    const deviceTokens = new Map(users.slice(0, deviceUsers).map((u) => [u, tokens.get(u)!]));
    devices.push(...(await openDevices(wsUrl, deviceTokens, perUser)));
    log(`${devices.length} devices synced through ${wsUrl}`);

    // The recovery probe: a signed-in write through the load balancer, seen by a live device.
    probeDevice = await SyncClient.open({
      url: wsUrl,
      token: tokens.get('soak-probe')!,
      deviceId: 'probe-device',
      storage: memoryStorage(),
      WebSocket: WebSocket as unknown as WebSocketCtor,
    });
    probeDevice.connect();
    await probeDevice.whenSynced();
    const probeTitle = titles[0]!;
    let probeN = 0;
    const probe = async (): Promise<boolean> => {
      const position = ++probeN;
      const res = await http(base, 'PUT', `/api/progress/${probeTitle}`, {
        token: tokens.get('soak-probe'),
        body: { positionSeconds: position },
        timeoutMs: 2_000,
      });
      if (res.status !== 202) return false;
      const deadline = performance.now() + 2_000;
      while (performance.now() < deadline) {
        if (readProgress(probeDevice!.doc).get(probeTitle)?.positionSeconds === position) return true;
        await sleep(20);
      }
      return false;
    };

    const ctx: TrafficContext = { base, rec, ledger, titles, users, tokens, busyUsers: new Set(), mcp };
    const started = performance.now();
    const traffic = drive(rate, 64, () => oneRequest(ctx));
    const edits = drive(options.deviceRate ?? 4, 32, () => deviceEdit(devices, ledger, rec));
    let faultResults: FaultResult[] = [];
    if (options.faults !== false) {
      faultResults = await runFaults(
        cluster,
        schedule(options.freezeSeconds ?? (seconds >= 120 ? 10 : 5)),
        seconds,
        rec,
        probe,
        log,
      );
      rec.phase = 'after_faults';
    }
    // The soak lasts `seconds`, and at least 5 s past the last recovery.
    const minEnd = Math.max(started + seconds * 1000, performance.now() + (options.faults === false ? 0 : 5_000));
    await sleep(Math.max(0, minEnd - performance.now()));
    await Promise.all([traffic.stop(), edits.stop()]);
    const elapsed = (performance.now() - started) / 1000;
    log(`load stopped after ${elapsed.toFixed(1)} s; reading back`);

    // Read back: every user's state from every API replica directly (so always through replicas
    // that did not take a given write), then every device against it.
    const unsettled = await settleDevices(devices, 30_000);
    const lostSet = new Set<object>();
    const lostExamples: string[] = [];
    const reference = new Map<string, UserView>();
    const readUsers = [...new Set([...ledger.users(), ...deviceTokens.keys()])];
    const readErrors: string[] = [];
    for (const replica of cluster.replicas) {
      await pool(readUsers, 8, async (user) => {
        let res: Awaited<ReturnType<typeof http>> | undefined;
        for (let attempt = 0; attempt < 3 && res?.status !== 200; attempt++)
          res = await http(replica.url, 'GET', '/api/watchlist', { token: tokens.get(user) }).catch(() => undefined);
        if (res?.status !== 200) {
          readErrors.push(`${replica.name} ${user}: ${res?.status}`);
          return;
        }
        const view = viewOf((res.body as { items: Parameters<typeof viewOf>[0] }).items);
        if (!reference.has(user)) reference.set(user, view);
        for (const w of ledger.lost(user, view)) {
          if (lostExamples.length < 10) lostExamples.push(`${replica.name}: ${JSON.stringify(w)}`);
          lostSet.add(w);
        }
      });
    }
    // Devices: every device of a user shows exactly what the server shows, and every acknowledged write.
    let divergence = 0;
    let divergenceExamples: string[] = [];
    const deadline = performance.now() + 30_000;
    for (;;) {
      divergence = 0;
      divergenceExamples = [];
      for (const d of devices) {
        const view = deviceView(d);
        const diff = differences(view, reference.get(d.user) ?? new Map());
        const missing = ledger.lost(d.user, view).filter((w) => !diff.includes(w.titleId));
        divergence += diff.length + missing.length;
        if (diff.length + missing.length > 0 && divergenceExamples.length < 10)
          divergenceExamples.push(
            `${d.id} (${d.client.status}): differs on ${[...diff, ...missing.map((m) => m.titleId)]
              .map((id) => {
                const server = reference.get(d.user)?.get(id);
                const writes = ledger
                  .writesOn(d.user, id)
                  .map((w) => `${w.kind}${w.position ?? ''}/${w.outcome}/${w.via}/${w.phase ?? '?'}`);
                return (
                  `${id} [device ${view.has(id) ? view.get(id) : 'absent'}, ` +
                  `server ${reference.get(d.user)?.has(id) ? server : 'absent'}; ${writes.join(' ')}]`
                );
              })
              .join(', ')}`,
          );
      }
      if (divergence === 0 || performance.now() > deadline) break;
      await sleep(500);
    }

    const overall = rec.latency();
    const steady = rec.latency((s) => s.phase === 'steady');
    const byPhase = rec.errorsByPhase();
    const recovery = Object.fromEntries(faultResults.map((f) => [f.name, f.recovery_s]));
    return {
      replicas: options.replicas,
      through: options.direct ? 'replica directly' : 'haproxy',
      seconds: Math.round(elapsed),
      offered_rps: rate,
      shed: traffic.stats().shed,
      requests: rec.samples.length,
      rps: Math.round((rec.samples.length / elapsed) * 10) / 10,
      p50_ms: overall.p50_ms,
      p95_ms: overall.p95_ms,
      p99_ms: overall.p99_ms,
      steady_p95_ms: steady.p95_ms,
      errors_by_phase: byPhase,
      acknowledged_writes: ledger.count('acked'),
      uncertain_writes: ledger.count('uncertain'),
      lost_writes: lostSet.size,
      devices: devices.length,
      devices_unsettled: unsettled,
      device_divergence: divergence,
      rolling_restart_failed_requests: byPhase['rolling_restart']?.errors ?? 0,
      recovery_s_by_fault: recovery,
      faults: faultResults,
      readback: { users: readUsers.length, replicas: cluster.replicas.length, errors: readErrors.slice(0, 10) },
      lost_examples: lostExamples,
      divergence_examples: divergenceExamples,
    };
  } finally {
    await mcp?.close().catch(() => {});
    await probeDevice?.close().catch(() => {});
    await closeDevices(devices).catch(() => {});
    await cluster.stop();
  }
}
