import { Redis } from 'ioredis';

/**
 * The auth server's connection to Redis (REDIS_URL): one client for commands (sessions, rate
 * counters, publishing revocations) and one for the revocation subscription (a subscribed ioredis
 * client cannot run other commands). Keys and the channel live under a namespace derived from a
 * per-database secret, so replicas sharing a database share state and separate installs (or test
 * databases) sharing one Redis never see each other's keys.
 */
export interface RedisLink {
  readonly commands: Redis;
  /** Key prefix, e.g. `mg:auth:Ab3dE…:`. */
  readonly ns: string;
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message on `channel`; `onReconnect` after the subscription was lost and restored. */
  subscribe(channel: string, handler: (message: string) => void, onReconnect: () => void): Promise<void>;
  close(): Promise<void>;
}

export interface RedisLinkOptions {
  url: string;
  ns: string;
  onError?: ((error: Error) => void) | undefined;
}

export async function connectRedis(options: RedisLinkOptions): Promise<RedisLink> {
  // Commands fail fast while Redis is unreachable (no offline queue): a sign-in gets a clear 503
  // and rate counters fall back to this process instead of requests hanging.
  const common = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 200, 2_000),
  };
  const commands = new Redis(options.url, { ...common, enableOfflineQueue: false });
  const sub = new Redis(options.url, { ...common });
  const report = (error: Error) => options.onError?.(error);
  commands.on('error', report);
  sub.on('error', report);
  try {
    await Promise.all([commands.connect(), sub.connect()]);
  } catch (error) {
    commands.disconnect();
    sub.disconnect();
    const host = new URL(options.url).host;
    throw new Error(`REDIS_URL is set but Redis at ${host} is unreachable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const handlers = new Map<string, (message: string) => void>();
  sub.on('message', (channel: string, message: string) => handlers.get(channel)?.(message));
  return {
    commands,
    ns: options.ns,
    async publish(channel, message) {
      await commands.publish(channel, message);
    },
    async subscribe(channel, handler, onReconnect) {
      handlers.set(channel, handler);
      let lost = false;
      sub.on('close', () => {
        lost = true;
      });
      // ioredis re-subscribes by itself after a reconnect; messages sent meanwhile are lost, hence onReconnect.
      sub.on('ready', () => {
        if (lost) {
          lost = false;
          onReconnect();
        }
      });
      await sub.subscribe(channel);
    },
    async close() {
      commands.disconnect();
      sub.disconnect();
    },
  };
}
