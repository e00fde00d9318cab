import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { memoryStorage } from '@media-gateway/sync';
import { testBackends } from '@media-gateway/testkit';
import pg from 'pg';
import { device, waitFor } from './sync-helpers.ts';
import { type GatewayProcess, mintTokens, startGateway, tempDataDir } from './sync-process-helpers.ts';


for (const backend of testBackends()) {
  describe(`kill -9 keeps every acknowledged write (${backend})`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    after(async () => { for (const fn of cleanup.reverse()) await fn().catch(() => {}); });

    test('[P1] edits acknowledged just before SIGKILL are all there after restart', { timeout: 180_000 }, async () => {
      let env: Record<string, string>;
      let dbOptions: { dataDir?: string; databaseUrl?: string };
      if (backend === 'pglite') {
        const dataDir = await tempDataDir();
        env = { MG_DATA_DIR: dataDir };
        dbOptions = { dataDir };
      } else {
        const name = `mg_sync_k9_${randomBytes(4).toString('hex')}`;
        const admin = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const url = new URL(process.env['DATABASE_URL']!);
        url.pathname = `/${name}`;
        env = { DATABASE_URL: url.toString() };
        dbOptions = { databaseUrl: url.toString() };
        cleanup.push(async () => {
          const c = new pg.Client({ connectionString: process.env['DATABASE_URL'] });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.end();
        });
      }
      const token = await mintTokens(dbOptions, 'u-k9', ['watchlist:read', 'watchlist:write', 'devices']);
      let gw: GatewayProcess = await startGateway({ ...env, MG_SAMPLE_CATALOG: 'auto' });
      // Real titles from the bundled sample catalog the server loads on an empty database.
      const page = await (await fetch(`${gw.http}/api/titles?limit=40`)).json();
      const TITLES = (page.items as Array<{ id: string }>).map((t) => t.id);
      assert.ok(TITLES.length >= 20, 'sample catalog loaded');
      cleanup.push(() => gw.stop('SIGKILL'));
      const phone = await device(gw.ws, token, 'phone', memoryStorage());
      phone.on('error', () => {});
      for (const [i, t] of TITLES.entries()) {
        phone.add(t);
        phone.setProgress(t, i * 10);
      }
      await phone.flushed();
      // Every edit is acknowledged: kill the server without a chance to flush anything.
      gw.child.kill('SIGKILL');
      await new Promise((r) => gw.child.once('exit', r));
      await phone.close();

      gw = await startGateway(env);
      const res = await fetch(`${gw.http}/api/watchlist`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      const items = (await res.json()).items as Array<{ titleId: string; progress: { positionSeconds: number } | null }>;
      assert.deepEqual(items.map((i) => i.titleId).sort(), [...TITLES].sort());
      for (const [i, t] of TITLES.entries()) assert.equal(items.find((x) => x.titleId === t)?.progress?.positionSeconds, i * 10);
      // A fresh device gets everything by WebSocket too.
      const laptop = await device(gw.ws, token, 'laptop');
      await waitFor(() => laptop.watchlist().length === TITLES.length, 'laptop sees all titles');
      await laptop.close();
      await gw.stop();
    });
  });
}
