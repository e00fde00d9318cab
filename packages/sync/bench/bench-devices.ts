/**
 * bench:sync devices and timing: real SyncClients over `ws`, and the edit → visible measurement.
 * "Visible" means the reader's replica holds the writer's own progress entry with the new value
 * (an O(1) lookup, so the check itself adds nothing that grows with the state).
 */
import { memoryStorage, rootMap, SyncClient, type WebSocketCtor } from '../src/index.ts';
import { WebSocket } from 'ws';

export const TITLE = 'mg_aaaaaaaaaaaa'; // a key in the bench users' own state; the bench never reads the catalog
const CONNECT_TIMEOUT_MS = 30_000;

export interface BenchDevice {
  client: SyncClient;
  deviceId: string;
  /** Which gateway it is connected to ('a' or 'b'), for the cross-process figure. */
  gateway: string;
}

export async function connectDevice(
  url: string,
  token: string,
  deviceId: string,
  gateway: string,
): Promise<BenchDevice> {
  const client = await SyncClient.open({
    url,
    token,
    deviceId,
    storage: memoryStorage(),
    WebSocket: WebSocket as unknown as WebSocketCtor,
  });
  const errors: string[] = [];
  const offError = client.on('error', (e) => {
    errors.push(`${e.code} ${e.message}`);
  });
  client.connect();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.whenSynced(),
    new Promise((_, fail) => {
      timer = setTimeout(
        () =>
          fail(
            new Error(
              `device ${deviceId} not synced within ${CONNECT_TIMEOUT_MS} ms ` +
                `(status ${client.status}; ${errors.join('; ') || 'no error frame'})`,
            ),
          ),
        CONNECT_TIMEOUT_MS,
      );
    }),
  ]).finally(() => {
    clearTimeout(timer);
    offError();
  });
  return { client, deviceId, gateway };
}

/** Connects one group of devices per user, `parallel` users at a time. */
export async function connectGroups(
  users: Array<{ token: string }>,
  perUser: number,
  target: (deviceIndex: number) => { url: string; gateway: string },
  parallel = 20,
): Promise<BenchDevice[][]> {
  const groups: BenchDevice[][] = new Array(users.length);
  for (let i = 0; i < users.length; i += parallel) {
    await Promise.all(
      users.slice(i, i + parallel).map(async (u, k) => {
        groups[i + k] = await Promise.all(
          Array.from({ length: perUser }, (_, d) => {
            const t = target(d);
            return connectDevice(t.url, u.token, `d${d}`, t.gateway);
          }),
        );
      }),
    );
  }
  return groups;
}

export interface Measured {
  /** edit → visible on each other device of the user (ms). */
  visible: number[];
  /** Same, only for readers on another gateway process than the writer. */
  crossVisible: number[];
  /** edit → the writer's ack (the update is durable). */
  ack: number[];
  /** Deliveries that never happened within the wait. */
  missed: number;
  /** Error frames the server sent (a rejected edit). */
  rejected: number;
}

/**
 * `edits` edits at `ratePerSec`, round-robin over users and, within a user, over devices. Each edit
 * sets a unique position; we time until every other device of that user holds it.
 */
/** Positions are unique across every measurement of the run (and within the 1e6 s the schema allows). */
let lastValue = 0;

export async function measure(
  groups: BenchDevice[][],
  edits: number,
  ratePerSec: number,
  waitMs = 10_000,
): Promise<Measured> {
  const out: Measured = { visible: [], crossVisible: [], ack: [], missed: 0, rejected: 0 };
  // A rejected edit would otherwise look like a fast ack and a missed delivery.
  const offErrors = groups.flat().map((d) =>
    d.client.on('error', () => {
      out.rejected += 1;
    }),
  );
  const inflight: Array<Promise<void>> = [];
  const seq = new Map<BenchDevice[], number>();
  for (let e = 0; e < edits; e++) {
    const group = groups[e % groups.length]!;
    const n = seq.get(group) ?? 0;
    seq.set(group, n + 1);
    const writer = group[n % group.length]!;
    const key = `${TITLE}|${writer.deviceId}`;
    const v = ++lastValue;
    const start = performance.now();
    for (const reader of group) {
      if (reader === writer) continue;
      inflight.push(
        new Promise<void>((done) => {
          const progress = rootMap(reader.client.doc, 'progress');
          let timer: NodeJS.Timeout | undefined;
          const finish = (seen: boolean) => {
            off();
            clearTimeout(timer);
            if (!seen) out.missed += 1;
            done();
          };
          const off = reader.client.on('change', () => {
            if ((progress.get(key) as { positionSeconds?: number } | undefined)?.positionSeconds !== v) return;
            const ms = performance.now() - start;
            out.visible.push(ms);
            if (reader.gateway !== writer.gateway) out.crossVisible.push(ms);
            finish(true);
          });
          timer = setTimeout(() => finish(false), waitMs);
        }),
      );
    }
    writer.client.setProgress(TITLE, v);
    inflight.push(
      Promise.race([
        writer.client.flushed().then(() => {
          out.ack.push(performance.now() - start);
        }),
        new Promise<void>((r) => setTimeout(r, waitMs).unref()),
      ]),
    );
    await new Promise((r) => setTimeout(r, 1000 / ratePerSec));
  }
  await Promise.all(inflight);
  for (const off of offErrors) off();
  return out;
}

export function pct(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!.toFixed(2));
}

export async function closeAll(groups: BenchDevice[][]): Promise<void> {
  await Promise.all(groups.flat().map((d) => d.client.close()));
}
