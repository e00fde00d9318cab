/** The auth server's time source. Tests replace `now` to step through intervals and expiries. */
export interface Clock {
  now(): number;
}

export const systemClock = (): Clock => ({ now: () => Date.now() });
