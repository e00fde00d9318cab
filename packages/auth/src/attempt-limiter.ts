import { createHash } from 'node:crypto';
import type { Clock } from './clock.ts';
import type { RedisLink } from './redis-link.ts';

/**
 * Counts sign-in, token, user-code (RFC 8628 §5.1) and registration attempts. One attempt is
 * checked against several keys at once (e.g. the IP and the session), so changing sessions does
 * not reset the IP's budget (decision 0033). Per process by default; shared by every replica
 * through Redis when REDIS_URL is set (decision 0035).
 */
export interface RateLimiter {
  readonly limit: number;
  readonly shared: boolean;
  /** Counts an attempt; resolves to the seconds to wait when any key is over its budget, else 0. */
  hit(keys: readonly string[]): Promise<number>;
}

/** Fixed-window counters in this process's memory. */
export class AttemptLimiter implements RateLimiter {
  readonly shared = false;
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  async hit(keys: readonly string[]): Promise<number> {
    return this.hitNow(keys);
  }

  hitNow(keys: readonly string[]): number {
    const now = this.clock.now();
    let wait = 0;
    for (const key of keys) {
      let w = this.windows.get(key);
      if (!w || now - w.start >= this.windowSeconds * 1000) {
        w = { start: now, count: 0 };
        this.windows.set(key, w);
      }
      w.count++;
      if (w.count > this.limit) wait = Math.max(wait, Math.ceil((w.start + this.windowSeconds * 1000 - now) / 1000));
    }
    if (this.windows.size > 50_000) this.sweep(now);
    return wait;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowSeconds * 1000) this.windows.delete(key);
  }
}

/**
 * Fixed windows aligned to the clock (window n covers [n·w, (n+1)·w)), counted with INCR in
 * Redis so every replica spends one budget. Aligned windows need no shared "first attempt" time:
 * replicas agree on the window from their (NTP-synchronised) clocks. If Redis fails, the attempt
 * is counted by this process instead: limits degrade to per-replica rather than to none.
 */
export class RedisAttemptLimiter implements RateLimiter {
  readonly shared = true;
  private readonly fallback: AttemptLimiter;

  constructor(
    private readonly link: RedisLink,
    private readonly name: string,
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowSeconds: number,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    this.fallback = new AttemptLimiter(clock, limit, windowSeconds);
  }

  async hit(keys: readonly string[]): Promise<number> {
    const now = this.clock.now();
    const windowMs = this.windowSeconds * 1000;
    const slot = Math.floor(now / windowMs);
    const tx = this.link.commands.multi();
    for (const key of keys) {
      const k = `${this.link.ns}rl:${this.name}:${slot}:${compact(key)}`;
      tx.incr(k).pexpire(k, windowMs * 2);
    }
    let counts: number[];
    try {
      const results = (await tx.exec()) ?? [];
      counts = results
        .filter((_, i) => i % 2 === 0)
        .map(([err, value]) => {
          if (err) throw err;
          return Number(value);
        });
    } catch (error) {
      this.onError(error as Error);
      return this.fallback.hitNow(keys);
    }
    const over = counts.some((c) => c > this.limit);
    return over ? Math.max(1, Math.ceil(((slot + 1) * windowMs - now) / 1000)) : 0;
  }
}

/** Keys carry emails, IPs and session ids: Redis sees only a hash (short, and no secret in a key dump). */
function compact(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}
