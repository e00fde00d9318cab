const DAY_MS = 86_400_000;

import { isLiveSource } from '../sources/live-sources.ts';

/** Offers not seen by their source for this long are shown as stale (the default for every kind). */
export const STALE_AFTER_DAYS = 7;

/**
 * How many days an offer may go unconfirmed before it is shown as stale, by the kind of source
 * that reported it: live APIs (re-checked hourly/daily) and file imports (snapshots, including the
 * bundled sample). MG_STALE_AFTER_DAYS_LIVE / MG_STALE_AFTER_DAYS_FILE.
 */
export interface StalenessPolicy {
  liveDays: number;
  fileDays: number;
}

export const DEFAULT_STALENESS: StalenessPolicy = { liveDays: STALE_AFTER_DAYS, fileDays: STALE_AFTER_DAYS };

/** The staleness limit for offers of `source` (a source name such as `tmdb:US` or `netflix-csv`). */
export function staleAfterDays(source: string, policy: StalenessPolicy = DEFAULT_STALENESS): number {
  return isLiveSource(source.split(':')[0] ?? '') ? policy.liveDays : policy.fileDays;
}

/**
 * How old an availability fact is, in words a person reads at a glance: "seen today", "seen 3 days
 * ago", "as of 2021-09-25", or "as of unknown" when the source never said (a file imported without
 * --as-of). Judged against the caller's clock; unknown counts as stale.
 */
export function offerAge(
  seenAt: Date | null,
  now: number,
  staleDays: number = STALE_AFTER_DAYS,
): { label: string; isStale: boolean } {
  if (!seenAt) return { label: 'as of unknown', isStale: true };
  const days = Math.floor((now - seenAt.getTime()) / DAY_MS);
  const isStale = now - seenAt.getTime() > staleDays * DAY_MS;
  if (days <= 0) return { label: 'seen today', isStale };
  if (days === 1) return { label: 'seen yesterday', isStale };
  if (days < 14) return { label: `seen ${days} days ago`, isStale };
  return { label: `as of ${seenAt.toISOString().slice(0, 10)}`, isStale };
}

/**
 * A snapshot's date as given by a person (`--as-of 2021-09-25`, an upload's `asOf`): a calendar
 * date, not in the future of `now`. Returns the Date at 00:00 UTC, or a reason it is refused.
 */
export function parseAsOf(raw: string, now: number): { date: Date } | { error: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return { error: 'must be a date like 2021-09-25' };
  const date = new Date(`${raw}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== raw)
    return { error: `${raw} is not a calendar date` };
  if (date.getTime() > now) return { error: `${raw} is in the future` };
  return { date };
}
