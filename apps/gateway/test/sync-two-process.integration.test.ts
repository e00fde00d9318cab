import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { postgresUrl, redisUrl } from '@media-gateway/testkit';
import pg from 'pg';
import { device, waitFor } from './sync-helpers.ts';
import { type GatewayProcess, mintTokens, startGateway } from './sync-process-helpers.ts';

const redis = redisUrl();
const pgServer = postgresUrl();
const dbUrl = pgServer.url;
const skip = redis.skip ?? pgServer.skip;

describe('two gateway processes with real Redis', { skip }, () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const fn of cleanup.reverse()) await fn().catch(() => {});
  });

  test("[F2] devices on different processes see each other's edits live; handoff crosses processes", {
    timeout: 180_000,
  }, async () => {
    const name = `mg_sync_2p_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(dbUrl!);
    url.pathname = `/${name}`;
    cleanup.push(async () => {
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    });
    const token = await mintTokens({ databaseUrl: url.toString() }, 'u-2p', [
      'watchlist:read',
      'watchlist:write',
      'devices',
    ]);
    // A channel per run would need a config knob; the shared channel is fine: users are unique per run.
    const env = { DATABASE_URL: url.toString(), REDIS_URL: redis.url!, MG_SAMPLE_CATALOG: 'auto' };
    const a: GatewayProcess = await startGateway(env);
    cleanup.push(() => a.stop());
    const b: GatewayProcess = await startGateway({ ...env, MG_SAMPLE_CATALOG: 'off' });
    cleanup.push(() => b.stop());
    const titles = ((await (await fetch(`${a.http}/api/titles?limit=3`)).json()).items as Array<{ id: string }>).map(
      (t) => t.id,
    );

    const phone = await device(a.ws, token, 'phone');
    const tv = await device(b.ws, token, 'tv');
    phone.add(titles[0]!);
    await waitFor(
      () => tv.watchlist().some((i) => i.titleId === titles[0]),
      "tv (process b) sees the phone's add (process a)",
    );
    tv.setProgress(titles[0]!, 42);
    await waitFor(() => phone.watchlist()[0]?.progress?.positionSeconds === 42, "phone sees the tv's progress");
    // REST on process a, device on process b
    const put = await fetch(`${a.http}/api/progress/${titles[0]}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ positionSeconds: 99 }),
    });
    assert.equal(put.status, 202);
    await waitFor(
      () => tv.watchlist()[0]?.progress?.positionSeconds === 99,
      'tv sees REST progress from the other process',
    );
    // Presence crosses processes
    await waitFor(() => phone.online.includes('tv') && tv.online.includes('phone'), 'cross-process presence');
    const got: string[] = [];
    tv.on('handoff', (h) => got.push(h.titleId));
    const handoff = await fetch(`${a.http}/api/devices/tv/handoff`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ titleId: titles[1] }),
    });
    assert.equal(handoff.status, 202, await handoff.clone().text());
    assert.equal((await handoff.json()).deliveredLive, true);
    await waitFor(() => got.includes(titles[1]!), 'tv got the handoff through process b');
    await phone.close();
    await tv.close();
  });
});
