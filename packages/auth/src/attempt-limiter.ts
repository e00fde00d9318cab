import type { Clock } from './clock.ts';

/**
 * Fixed-window attempt counters for sign-in, token and user-code entry (RFC 8628 §5.1). One
 * attempt is checked against several keys at once (e.g. the IP and the session), so changing
 * sessions does not reset the IP's budget. Counters are per process; see decision 0033.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: Clock, readonly limit: number, readonly windowSeconds: number) {}

  /** Counts an attempt; returns the seconds to wait when any key is over its budget, else 0. */
  hit(keys: readonly string[]): number {
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
