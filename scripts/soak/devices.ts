import { memoryStorage, SyncClient, type WebSocketCtor } from '@media-gateway/sync';
import { WebSocket } from 'ws';
import { type Ledger, type UserView, viewOf } from './ledger.ts';
import type { Recorder } from './stats.ts';

export interface Device {
  user: string;
  id: string;
  client: SyncClient;
  busy: boolean;
}

function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Opens `perUser` live /sync devices for each user (waves of 30), each synced before it counts. */
export async function openDevices(wsUrl: string, tokens: Map<string, string>, perUser: number): Promise<Device[]> {
  const plan: Array<{ user: string; id: string }> = [];
  for (const user of tokens.keys()) for (let k = 0; k < perUser; k++) plan.push({ user, id: `${user}-d${k}` });
  const devices: Device[] = [];
  for (let i = 0; i < plan.length; i += 30) {
    await Promise.all(
      plan.slice(i, i + 30).map(async ({ user, id }) => {
        const client = await SyncClient.open({
          url: wsUrl,
          token: tokens.get(user)!,
          deviceId: id,
          storage: memoryStorage(),
          WebSocket: WebSocket as unknown as WebSocketCtor,
          device: { name: id, type: 'laptop', capabilities: ['play'] },
        });
        client.connect();
        if ((await within(client.whenSynced(), 60_000)) === 'timeout') throw new Error(`device ${id} did not sync`);
        devices.push({ user, id, client, busy: false });
      }),
    );
  }
  return devices;
}

/** One edit on a random idle device: add a new title (60%) or move progress on one it added. */
export async function deviceEdit(devices: Device[], ledger: Ledger, rec: Recorder): Promise<void> {
  const idle = devices.filter((d) => !d.busy);
  const d = idle[Math.floor(Math.random() * idle.length)];
  if (!d) return;
  d.busy = true;
  try {
    const own = ledger.ackedAdd(d.user, d.id);
    const started = performance.now();
    const phase = rec.phase;
    let write: { kind: 'add' | 'progress'; titleId: string; position?: number };
    if (own && Math.random() < 0.4) {
      const position = ledger.nextPosition();
      d.client.setProgress(own, position, 7200);
      write = { kind: 'progress', titleId: own, position };
    } else {
      const titleId = ledger.freshTitle(d.user);
      if (!titleId) return;
      d.client.add(titleId);
      write = { kind: 'add', titleId };
    }
    // Acknowledged = the server stored it (its ack), waiting through reconnects for up to 15 s.
    const acked = (await within(d.client.flushed(), 15_000)) !== 'timeout';
    rec.record('device_edit', started, acked, acked ? undefined : 'no ack within 15 s');
    ledger.record({ user: d.user, via: d.id, outcome: acked ? 'acked' : 'uncertain', phase, ...write });
  } finally {
    d.busy = false;
  }
}

export function deviceView(d: Device): UserView {
  return viewOf(d.client.watchlist());
}

/** Waits until every device is connected and has nothing unacknowledged (bounded). */
export async function settleDevices(devices: Device[], timeoutMs: number): Promise<number> {
  const results = await Promise.all(
    devices.map((d) =>
      within(
        d.client.whenSynced().then(() => d.client.flushed()),
        timeoutMs,
      ),
    ),
  );
  return results.filter((r) => r === 'timeout').length;
}

export async function closeDevices(devices: Device[]): Promise<void> {
  await Promise.all(devices.map((d) => d.client.close()));
}
