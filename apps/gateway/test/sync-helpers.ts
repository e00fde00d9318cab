import { fileStorage, memoryStorage, type ReplicaStorage, SyncClient, type WebSocketCtor } from '@media-gateway/sync';
import { WebSocket } from 'ws';
import type { TestApp } from './test-app.ts';

export { fileStorage, memoryStorage };

/** Listens on a random loopback port and returns the ws:// URL of /sync. */
export async function listen(t: TestApp): Promise<{ http: string; ws: string }> {
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { http: address, ws: `${address.replace(/^http/, 'ws')}/sync` };
}

export async function device(
  wsUrl: string,
  token: string,
  deviceId: string,
  storage: ReplicaStorage = memoryStorage(),
  name = deviceId,
  type: 'laptop' | 'tv' = 'laptop',
): Promise<SyncClient> {
  const client = await SyncClient.open({
    url: wsUrl,
    token,
    deviceId,
    storage,
    WebSocket: WebSocket as unknown as WebSocketCtor,
    device: { name, type, capabilities: ['play'] },
  });
  client.connect();
  await client.whenSynced();
  return client;
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A raw socket for protocol-level tests; resolves with the close code. */
export function rawSocket(
  wsUrl: string,
  token: string | undefined,
): { socket: WebSocket; opened: Promise<void>; closed: Promise<{ code: number; reason: string }>; frames: unknown[] } {
  const socket = new WebSocket(wsUrl, token ? ['mg-sync.v1', `bearer.${token}`] : ['mg-sync.v1']);
  const frames: unknown[] = [];
  socket.on('message', (d) => frames.push(JSON.parse(String(d))));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  opened.catch(() => {});
  return { socket, opened, closed, frames };
}

export async function sampleTitleIds(t: TestApp, n: number): Promise<string[]> {
  const res = await t.ctx.db.query<{ id: string }>(
    'SELECT t.id FROM titles t WHERE EXISTS (SELECT 1 FROM offers o WHERE o.title_id = t.id) ORDER BY t.id LIMIT $1',
    [n],
  );
  if (res.rows.length < n) throw new Error('sample catalog has too few titles with offers');
  return res.rows.map((r) => r.id);
}
