import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { CLOSE } from '../src/protocol.ts';
import { memoryStorage, SyncClient, type WebSocketCtor } from '../src/index.ts';

/** A server that closes every connection at once with `code`, and remembers when each arrived. */
async function closingServer(code: number): Promise<{ url: string; arrivals: number[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'mg-sync.v1' });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const arrivals: number[] = [];
  wss.on('connection', (socket) => {
    arrivals.push(Date.now());
    socket.close(code, 'test');
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/sync`,
    arrivals,
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

async function clientOn(url: string): Promise<SyncClient> {
  const client = await SyncClient.open({
    url,
    token: 't',
    deviceId: 'd1',
    storage: memoryStorage(),
    WebSocket: WebSocket as unknown as WebSocketCtor,
  });
  client.connect();
  return client;
}

describe('sync client and a draining server', () => {
  test('1012 "service restart" makes the client reconnect at once, again and again, without backing off', async () => {
    const server = await closingServer(CLOSE.SERVICE_RESTART);
    const client = await clientOn(server.url);
    try {
      const start = Date.now();
      while (server.arrivals.length < 5 && Date.now() - start < 5_000) await new Promise((r) => setTimeout(r, 20));
      assert.ok(server.arrivals.length >= 5, `5 connections within 5 s, got ${server.arrivals.length}`);
      const gaps = server.arrivals.slice(1).map((t, i) => t - server.arrivals[i]!);
      // Backoff would double: 250, 500, 1000, 2000 ms. A restart close retries within ~300 ms each time.
      assert.ok(
        gaps.every((g) => g < 700),
        `gaps ${gaps.join(', ')} ms`,
      );
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('an ordinary failure backs off, and an authentication refusal (4401) is not retried', async () => {
    const failing = await closingServer(CLOSE.INTERNAL);
    const refused = await closingServer(CLOSE.UNAUTHENTICATED);
    const a = await clientOn(failing.url);
    const b = await clientOn(refused.url);
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      // 250 + 500 + 1000 ms of backoff: at most 4 connections in 2 s.
      assert.ok(failing.arrivals.length >= 2 && failing.arrivals.length <= 4, `${failing.arrivals.length} connections`);
      assert.equal(refused.arrivals.length, 1);
    } finally {
      await a.close();
      await b.close();
      await failing.close();
      await refused.close();
    }
  });
});
