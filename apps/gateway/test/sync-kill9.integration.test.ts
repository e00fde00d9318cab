import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { memoryStorage, readWatched, type SyncClient } from '@media-gateway/sync';
import { testBackends } from '@media-gateway/testkit';
import { device, waitFor } from './sync-helpers.ts';
import {
  type GatewayProcess,
  mintTokens,
  startGateway,
  tempDatabase,
  tempDataDir,
  within,
} from './sync-process-helpers.ts';

/**
 * Title ids in the sync state are keys: WebSocket edits never consult the catalog, so this test
 * needs no catalog and skips loading the sample (that load was most of the old test's start-up
 * time under load). Valid ids: mg_ + 12 base32 letters.
 */
const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
const TITLES = Array.from({ length: 16 }, (_, i) => `mg_killninexx${B32[i >> 5]}${B32[i & 31]}`);

for (const backend of testBackends()) {
  describe(`kill -9 keeps every acknowledged write (${backend})`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    after(async () => {
      for (const fn of cleanup.reverse()) await fn().catch(() => {});
    });

    test('[P1] edits from two devices acknowledged just before SIGKILL are all there after restart', {
      timeout: 150_000,
    }, async () => {
      let env: Record<string, string>;
      let dbOptions: { dataDir?: string; databaseUrl?: string };
      if (backend === 'pglite') {
        const dataDir = await tempDataDir();
        env = { MG_DATA_DIR: dataDir };
        dbOptions = { dataDir };
      } else {
        const db = await tempDatabase('mg_sync_k9');
        cleanup.push(db.drop);
        env = { DATABASE_URL: db.url };
        dbOptions = { databaseUrl: db.url };
      }
      const token = await mintTokens(dbOptions, 'u-k9', ['watchlist:read', 'watchlist:write', 'devices']);
      let gw: GatewayProcess = await startGateway(env);
      cleanup.push(() => gw.stop('SIGKILL'));
      const clients: SyncClient[] = [];
      cleanup.push(async () => {
        for (const c of clients) await c.close();
      });
      const phone = await within(device(gw.ws, token, 'phone', memoryStorage()), 20_000, 'phone connects');
      const tv = await within(device(gw.ws, token, 'tv', memoryStorage()), 20_000, 'tv connects');
      clients.push(phone, tv);
      for (const c of clients) c.on('error', () => {});

      // 48 edits from two devices, sent back to back (each one its own update frame).
      for (const [i, t] of TITLES.entries()) {
        phone.add(t);
        phone.setProgress(t, i * 10 + 1);
        if (i % 2 === 0) tv.setWatched(t, true);
      }
      // Every edit acknowledged (= appended to the database): kill at once, no graceful flush.
      await within(
        Promise.all([phone.flushed(), tv.flushed()]),
        30_000,
        `acks for every edit (server output:\n${gw.output()})`,
      );
      gw.child.kill('SIGKILL');
      await within(new Promise((r) => gw.child.once('exit', r)), 10_000, 'the gateway dies');
      for (const c of clients.splice(0)) await c.close();

      gw = await startGateway(env);
      const res = await within(
        fetch(`${gw.http}/api/watchlist`, { headers: { authorization: `Bearer ${token}` } }),
        20_000,
        'GET /api/watchlist',
      );
      assert.equal(res.status, 200);
      const items = (await res.json()).items as Array<{
        titleId: string;
        progress: { positionSeconds: number } | null;
        watched: boolean;
      }>;
      assert.deepEqual(items.map((i) => i.titleId).sort(), [...TITLES].sort());
      for (const [i, t] of TITLES.entries()) {
        const item = items.find((x) => x.titleId === t);
        assert.equal(item?.progress?.positionSeconds, i * 10 + 1, `progress of ${t}`);
        assert.equal(item?.watched, i % 2 === 0, `watched state of ${t}`);
      }
      // A fresh device gets everything over WebSocket too.
      const laptop = await within(device(gw.ws, token, 'laptop'), 20_000, 'laptop connects');
      clients.push(laptop);
      await waitFor(
        () => laptop.watchlist().length === TITLES.length && readWatched(laptop.doc).size === TITLES.length / 2,
        'laptop sees all titles and watched flags',
      );
      await gw.stop();
    });
  });
}
