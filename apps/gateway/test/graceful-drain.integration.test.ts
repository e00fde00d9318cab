import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CLOSE } from '@media-gateway/sync';
import { rawSocket } from './sync-helpers.ts';
import { mintTokens, startGateway, tempDataDir, within } from './sync-process-helpers.ts';

const DRAIN_DELAY_S = 2;

describe('graceful drain on SIGTERM (a real `media-gateway serve` process)', () => {
  test('readiness fails at once while requests are still served; sync sockets close with 1012; the process exits 0', {
    timeout: 120_000,
  }, async () => {
    const dataDir = join(await tempDataDir(), 'data');
    const token = await mintTokens({ dataDir }, 'drain-user', ['watchlist:read', 'watchlist:write']);
    const gw = await startGateway({ MG_DATA_DIR: dataDir, MG_DRAIN_DELAY_SECONDS: String(DRAIN_DELAY_S) });
    try {
      assert.equal((await fetch(`${gw.http}/readyz`)).status, 200);
      const sock = rawSocket(gw.ws, token);
      await sock.opened;
      const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
        gw.child.once('exit', (code) => resolve({ code, at: Date.now() })),
      );
      const sentAt = Date.now();
      gw.child.kill('SIGTERM');

      // Inside the drain delay: the load balancer's check fails, yet people's requests still succeed.
      await within(
        (async () => {
          for (;;) {
            const r = await fetch(`${gw.http}/readyz`);
            if (r.status === 503) {
              assert.equal(((await r.json()) as { code: string }).code, 'DRAINING');
              return;
            }
            await new Promise((res) => setTimeout(res, 20));
          }
        })(),
        5_000,
        '/readyz to answer 503 after SIGTERM',
      );
      assert.equal((await fetch(`${gw.http}/healthz`)).status, 200, 'alive while draining');
      assert.equal((await fetch(`${gw.http}/api/titles`)).status, 200, 'still serving during the delay');

      const closed = await within(sock.closed, 15_000, 'the sync socket to close');
      assert.equal(closed.code, CLOSE.SERVICE_RESTART);
      assert.equal(closed.reason, 'server restarting');
      assert.ok(Date.now() - sentAt >= DRAIN_DELAY_S * 1000 - 200, 'sockets close after the delay, not before');

      const exit = await within(exited, 20_000, 'the process to exit');
      assert.equal(exit.code, 0, gw.output());
      assert.match(gw.output(), /drained: every request in flight answered/);
    } finally {
      await gw.stop('SIGKILL');
    }
  });
});
