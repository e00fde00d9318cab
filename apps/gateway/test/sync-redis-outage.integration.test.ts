import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import type { SyncClient } from '@media-gateway/sync';
import { commandOnPath, postgresUrl } from '@media-gateway/testkit';
import { device, waitFor } from './sync-helpers.ts';
import { type GatewayProcess, mintTokens, startGateway, tempDatabase, within } from './sync-process-helpers.ts';

const pgServer = postgresUrl();
const skip = pgServer.skip ?? commandOnPath('redis-server', 'the test runs a private one it can stop');
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
const TITLES = Array.from({ length: 6 }, (_, i) => `mg_redisoutage${B32[i]}`);
const PRESENCE_MS = 400;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A private redis-server (no persistence) that the test stops and starts; never the shared one. */
function privateRedis(port: number) {
  const start = () =>
    execFileSync('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--pidfile',
      `/tmp/mg-sync-test-redis-${port}.pid`,
    ]);
  const stop = () => {
    spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
  };
  const up = () =>
    spawnSync('redis-cli', ['-p', String(port), 'ping'])
      .stdout?.toString()
      .trim() === 'PONG';
  return { url: `redis://127.0.0.1:${port}`, start, stop, up };
}

describe('sync when Redis goes away, and when a process dies', { skip }, () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => {});
  });

  async function setup(userId: string) {
    const redis = privateRedis(await freePort());
    redis.start();
    cleanup.push(async () => redis.stop());
    await waitFor(() => redis.up(), 'private redis up');
    const db = await tempDatabase('mg_sync_rd');
    cleanup.push(db.drop);
    const token = await mintTokens({ databaseUrl: db.url }, userId, ['watchlist:read', 'watchlist:write', 'devices']);
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url, MG_SYNC_PRESENCE_MS: String(PRESENCE_MS) };
    const [a, b] = await Promise.all([startGateway(env), startGateway(env)]);
    cleanup.push(
      () => a.stop('SIGKILL'),
      () => b.stop('SIGKILL'),
    );
    const clients: SyncClient[] = [];
    cleanup.push(async () => {
      for (const c of clients) await c.close();
    });
    const open = async (gw: GatewayProcess, id: string) => {
      const c = await within(device(gw.ws, token, id), 20_000, `${id} connects`);
      c.on('error', () => {});
      clients.push(c);
      return c;
    };
    return { redis, token, a, b, open };
  }
  const has = (c: SyncClient, titleId: string) => c.watchlist().some((i) => i.titleId === titleId);

  test('[F3] without Redis each process keeps serving its own devices; when it returns they catch up', {
    timeout: 150_000,
  }, async () => {
    const { redis, token, a, b, open } = await setup('u-outage');
    const phone = await open(a, 'phone');
    const laptop = await open(a, 'laptop');
    const tv = await open(b, 'tv');
    phone.add(TITLES[0]!);
    await waitFor(() => has(tv, TITLES[0]!), 'tv (process b) sees the add through Redis');

    redis.stop();
    await waitFor(() => !redis.up(), 'redis stopped');
    // Same-process fan-out and acks do not need the bus.
    phone.add(TITLES[1]!);
    await waitFor(() => has(laptop, TITLES[1]!), 'laptop (same process) sees the add while Redis is down');
    tv.add(TITLES[2]!);
    await within(Promise.all([phone.flushed(), tv.flushed()]), 10_000, 'edits acknowledged while Redis is down');
    const rest = await fetch(`${b.http}/api/watchlist`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(rest.status, 200, 'REST keeps working on process b');
    assert.ok((await rest.json()).items.some((i: { titleId: string }) => i.titleId === TITLES[2]));

    redis.start();
    // Each process reloads its rooms from the database on reconnect and sends devices what they missed.
    await waitFor(
      () => has(tv, TITLES[1]!) && has(phone, TITLES[2]!) && has(laptop, TITLES[2]!),
      'both sides caught up after Redis returned',
      20_000,
    );
    // And live fan-out through Redis works again.
    phone.add(TITLES[3]!);
    await waitFor(() => has(tv, TITLES[3]!), 'live again across processes', 10_000);
  });

  test('[W6] the devices of a process killed with SIGKILL go offline on the other process', {
    timeout: 150_000,
  }, async () => {
    const { token, a, b, open } = await setup('u-crash');
    await open(a, 'phone');
    const tv = await open(b, 'tv');
    await waitFor(() => tv.online.includes('phone'), 'tv sees the phone online (other process)', 10_000);
    // Refreshes keep it online past several presence periods.
    await new Promise((r) => setTimeout(r, PRESENCE_MS * 5));
    assert.ok(tv.online.includes('phone'), 'still online while process a is alive');

    a.child.kill('SIGKILL');
    await waitFor(() => !tv.online.includes('phone'), 'the phone goes offline after process a dies', 10_000);
    assert.deepEqual(tv.online, ['tv']);
    const res = await fetch(`${b.http}/api/devices`, { headers: { authorization: `Bearer ${token}` } });
    const devices = (await res.json()).devices as Array<{ id: string; online: boolean }>;
    assert.equal(devices.find((d) => d.id === 'phone')?.online, false);
    assert.equal(devices.find((d) => d.id === 'tv')?.online, true);
  });
});
