import { instrument } from '@media-gateway/domain';
import { Redis } from 'ioredis';
import type { LiveNotification } from '../protocol.ts';

/** What gateway processes tell each other about a user's state (F1–F3). */
export type BusMessage =
  | { kind: 'update'; userId: string; update: string /** its row in sync_updates */; id?: number }
  /** Messages were lost (a publisher's backlog overflowed): every process catches up from the database. */
  | { kind: 'resync' }
  | { kind: 'handoff'; userId: string; deviceId: string; handoffId: string }
  | { kind: 'presence'; userId: string; devices: string[] }
  /** An alert for the person's connected devices (W8); processes without the person's room ignore it. */
  | { kind: 'notify'; userId: string; notification: LiveNotification };

export interface BusEnvelope {
  /** The publishing process, so a process ignores its own messages. */
  from: string;
  message: BusMessage;
  /** The publisher's trace context (W3C `traceparent`), when tracing is on. */
  trace?: Record<string, string>;
}

/**
 * Fan-out between gateway processes. In memory (one process) by default; Redis pub/sub when
 * REDIS_URL is set. Publishing never throws: when the bus is down, each process keeps serving
 * its own devices and `onReconnect` tells the hub to catch up from the database (F3).
 */
export interface SyncBus {
  readonly kind: 'memory' | 'redis';
  publish(envelope: BusEnvelope): void;
  subscribe(handler: (envelope: BusEnvelope) => void): void;
  onReconnect(handler: () => void): void;
  isUp(): boolean;
  close(): Promise<void>;
}

/** One process: nothing to forward (the hub already delivered locally). */
export function memoryBus(): SyncBus {
  return {
    kind: 'memory',
    publish() {},
    subscribe() {},
    onReconnect() {},
    isUp: () => true,
    async close() {},
  };
}

export const BUS_CHANNEL = 'mg:sync:v1';
/** Failed publishes kept for sending again when Redis returns (a few minutes of a busy replica). */
const MAX_UNSENT = 10_000;

export interface RedisBusOptions {
  url: string;
  channel?: string;
  onError?: (error: Error) => void;
}

export async function redisBus(options: RedisBusOptions): Promise<SyncBus> {
  const channel = options.channel ?? BUS_CHANNEL;
  // Offline queue off for the publisher: a publish while Redis is down fails at once instead of
  // piling up; the database already has the update and peers catch up on reconnect.
  const common = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
  const pub = new Redis(options.url, { ...common, enableOfflineQueue: false });
  const sub = new Redis(options.url, { ...common });
  const handlers: Array<(e: BusEnvelope) => void> = [];
  const reconnectHandlers: Array<() => void> = [];
  let up = false;
  let everDown = false;
  const report = (error: Error) => options.onError?.(error);
  pub.on('error', report);
  sub.on('error', report);
  sub.on('close', () => {
    if (up) everDown = true;
    up = false;
  });
  sub.on('ready', () => {
    // Catch up only once the subscription is back for sure: anything published from then on
    // arrives, anything before it is in the database the catch-up reads.
    void sub
      .subscribe(channel)
      .then(() => {
        up = true;
        if (everDown) for (const h of reconnectHandlers) h();
      })
      .catch(report);
  });

  // Publishes that failed while Redis was away are sent again when the publisher reconnects: the
  // other processes may have caught up before this one's updates were written. Bounded: past
  // MAX_UNSENT the oldest go, and a 'resync' tells every process to catch up from the database.
  const unsent: string[] = [];
  let overflowed = false;
  const send = (raw: string) =>
    instrument()
      .span('redis.publish', { 'db.system': 'redis', 'messaging.destination.name': channel }, () =>
        pub.publish(channel, raw),
      )
      .catch((error: Error) => {
        report(error);
        if (unsent.length >= MAX_UNSENT) {
          unsent.shift();
          overflowed = true;
        }
        unsent.push(raw);
      });
  pub.on('ready', () => {
    const again = unsent.splice(0);
    for (const raw of again) void send(raw);
    if (overflowed) {
      overflowed = false;
      void send(JSON.stringify({ from: `resync-${Date.now()}`, message: { kind: 'resync' } } satisfies BusEnvelope));
    }
  });
  sub.on('message', (ch: string, raw: string) => {
    if (ch !== channel) return;
    let envelope: BusEnvelope;
    try {
      envelope = JSON.parse(raw) as BusEnvelope;
    } catch {
      return;
    }
    for (const h of handlers) h(envelope);
  });
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(channel);
  up = true;
  return {
    kind: 'redis',
    publish(envelope) {
      // Carries the publisher's trace on, so the other replicas' work joins the same trace.
      const trace = instrument().carrier();
      void send(JSON.stringify(Object.keys(trace).length > 0 ? { ...envelope, trace } : envelope));
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    onReconnect(handler) {
      reconnectHandlers.push(handler);
    },
    isUp: () => up,
    async close() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}
