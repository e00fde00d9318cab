/**
 * The one source of "now" for code that makes decisions with time (expiries, staleness, trends,
 * recency). Production uses `systemClock()`; tests pass a `manualClock()` so that an outcome
 * never depends on the day or the hour the suite happens to run.
 */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
}

export const systemClock = (): Clock => ({ now: () => Date.now() });

/** A clock that stands still until told to move: `set` and `advance` step it in tests. */
export interface ManualClock extends Clock {
  set(ms: number | string | Date): void;
  advance(ms: number): void;
}

export function manualClock(start: number | string | Date): ManualClock {
  let t = toMs(start);
  return {
    now: () => t,
    set: (ms) => {
      t = toMs(ms);
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

function toMs(v: number | string | Date): number {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : v.getTime();
  if (!Number.isFinite(ms)) throw new TypeError(`not a time: ${String(v)}`);
  return ms;
}
