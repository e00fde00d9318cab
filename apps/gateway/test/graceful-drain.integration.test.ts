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

  // A soak's rolling restart saw one replica exit 1: the MCP client's standalone SSE stream (GET /mcp)
  // never ends by itself, so the server waited for it until MG_SHUTDOWN_TIMEOUT_SECONDS.
  test('an open MCP event stream does not hold the drain: it ends, and the process exits 0 in time', {
    timeout: 120_000,
  }, async () => {
    const dataDir = join(await tempDataDir(), 'data');
    const gw = await startGateway({
      MG_DATA_DIR: dataDir,
      MG_DRAIN_DELAY_SECONDS: '1',
      MG_SHUTDOWN_TIMEOUT_SECONDS: '10',
    });
    try {
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const init = await fetch(`${gw.http}/mcp`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'drain-test', version: '1' } },
        }),
      });
      assert.equal(init.status, 200, await init.clone().text());
      const session = init.headers.get('mcp-session-id')!;
      await fetch(`${gw.http}/mcp`, {
        method: 'POST',
        headers: { ...headers, 'mcp-session-id': session },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      });
      const stream = await fetch(`${gw.http}/mcp`, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': session },
      });
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
      const streamEnded = (async () => {
        const reader = stream.body!.getReader();
        try {
          while (!(await reader.read()).done);
        } catch {
          // A reset connection ends the stream too; what matters is that it ends.
        }
      })();
      const exited = new Promise<number | null>((resolve) => gw.child.once('exit', (code) => resolve(code)));
      gw.child.kill('SIGTERM');
      await within(streamEnded, 8_000, 'the MCP event stream to end');
      const code = await within(exited, 9_000, 'the process to exit before MG_SHUTDOWN_TIMEOUT_SECONDS');
      assert.equal(code, 0, gw.output());
    } finally {
      await gw.stop('SIGKILL');
    }
  });
});
