/**
 * Hybrid logical clock (Kulkarni et al.): wall-clock milliseconds plus a counter, so that an edit
 * made later in real time wins, and an edit made after seeing another one always sorts after it
 * even when this device's clock runs behind. Encoded as a fixed-width string so plain string
 * comparison orders timestamps: `<wall 15 digits>:<counter 6 digits>:<node>`.
 */
export interface HlcTimestamp {
  wall: number;
  counter: number;
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const MAX_COUNTER = 999_999;
/**
 * Remote timestamps further ahead than this are clamped when
 * observed, so one bad clock cannot drag everyone into the future.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
export const HLC_PATTERN = /^\d{15}:\d{6}:[A-Za-z0-9_.:-]{1,80}$/;

export function encodeHlc(t: HlcTimestamp): string {
  return `${String(t.wall).padStart(WALL_DIGITS, '0')}:${String(t.counter).padStart(COUNTER_DIGITS, '0')}:${t.node}`;
}

export function decodeHlc(value: string): HlcTimestamp | undefined {
  if (!HLC_PATTERN.test(value)) return undefined;
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  return {
    wall: Number(value.slice(0, first)),
    counter: Number(value.slice(first + 1, second)),
    node: value.slice(second + 1),
  };
}

export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class HybridClock {
  private wall = 0;
  private counter = 0;

  constructor(
    readonly node: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A timestamp for a local edit: greater than every timestamp issued or observed so far. */
  tick(): string {
    const physical = this.now();
    if (physical > this.wall) {
      this.wall = physical;
      this.counter = 0;
    } else {
      this.counter += 1;
      if (this.counter > MAX_COUNTER) {
        // Counter overflow only happens with a million edits in one millisecond; move time on.
        this.wall += 1;
        this.counter = 0;
      }
    }
    return encodeHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }

  /** Takes a remote timestamp into account, so the next local tick sorts after it. */
  observe(remote: string): void {
    const t = decodeHlc(remote);
    if (!t) return;
    const limit = this.now() + MAX_CLOCK_SKEW_MS;
    const wall = Math.min(t.wall, limit);
    if (wall > this.wall || (wall === this.wall && t.counter > this.counter)) {
      this.wall = wall;
      this.counter = wall === t.wall ? t.counter : 0;
    }
  }
}
