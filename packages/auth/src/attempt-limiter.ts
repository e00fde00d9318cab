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

/** Past this many live entries a sweep runs before the window ends (a flood of distinct keys). */
const MAX_ENTRIES = 50_000;

/** Fixed-window counters in this process's memory. */
export class AttemptLimiter implements RateLimiter {
  readonly shared = false;
  private readonly windows = new Map<string, { start: number; count: number }>();
  private sweptAt = 0;

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowSeconds: number,
  ) {}

  async hit(keys: readonly string[]): Promise<number> {
    return this.hitNow(keys);
  }

  /**
   * Keys are counted in order (the caller puts the cheapest to spoof last, e.g. IP before email)
   * and counting stops at the first key over its budget, so a refused attempt creates no new
   * entries. Entries are stored by a short hash, never the submitted text, and expired ones are
   * swept once per window: memory stays bounded whatever is submitted.
   */
  hitNow(keys: readonly string[]): number {
    const now = this.clock.now();
    const windowMs = this.windowSeconds * 1000;
    if (now - this.sweptAt >= windowMs || this.windows.size > MAX_ENTRIES) this.sweep(now);
    for (const key of keys) {
      const k = compact(key);
      let w = this.windows.get(k);
      if (!w || now - w.start >= windowMs) {
        w = { start: now, count: 0 };
        this.windows.set(k, w);
      }
      w.count++;
      if (w.count > this.limit) return Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
    }
    return 0;
  }

  /** Entries held now (tests check that memory stays bounded). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [key, w] of this.windows) if (now - w.start >= this.windowSeconds * 1000) this.windows.delete(key);
  }
}

/**
 * Counts the keys in order and stops at the first one over budget, atomically, like the memory
 * limiter: an address that is already refused cannot spend someone else's per-email budget.
 */
const COUNT_UNTIL_OVER = `
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, ARGV[2]) end
  if count > tonumber(ARGV[1]) then return 1 end
end
return 0`;

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
    const redisKeys = keys.map((key) => `${this.link.ns}rl:${this.name}:${slot}:${compact(key)}`);
    let over: number;
    try {
      over = Number(
        await this.link.commands.eval(COUNT_UNTIL_OVER, redisKeys.length, ...redisKeys, this.limit, windowMs * 2),
      );
    } catch (error) {
      this.onError(error as Error);
      return this.fallback.hitNow(keys);
    }
    return over ? Math.max(1, Math.ceil(((slot + 1) * windowMs - now) / 1000)) : 0;
  }
}

/** Keys carry emails, IPs and session ids: Redis sees only a hash (short, and no secret in a key dump). */
function compact(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}
