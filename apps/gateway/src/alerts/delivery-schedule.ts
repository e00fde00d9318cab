import type { AlertChannel, AlertPreferences } from './alert-preferences.ts';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** Minutes since local midnight in `timeZone` at instant `at` (ms). */
export function localMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The first instant at or after `from` whose local time is `target` minutes past midnight. Steps by
 * the local-time difference, then corrects once or twice: a DST change in between moves the wall
 * clock by an hour, and a target inside a skipped hour lands just after it.
 */
export function nextLocalTime(from: number, targetMinutes: number, timeZone: string): number {
  const start = Math.floor(from / MINUTE) * MINUTE;
  let at = start + (((targetMinutes - localMinutes(start, timeZone) + DAY_MINUTES) % DAY_MINUTES) * MINUTE || 0);
  for (let i = 0; i < 2; i++) {
    const drift = (targetMinutes - localMinutes(at, timeZone) + DAY_MINUTES) % DAY_MINUTES;
    if (drift === 0) break;
    at += (drift > DAY_MINUTES / 2 ? drift - DAY_MINUTES : drift) * MINUTE;
  }
  return at < from ? at + DAY_MINUTES * MINUTE : at;
}

/** True while `at` falls inside the quiet window (which may wrap past midnight, e.g. 22:00–07:00). */
export function inQuietHours(at: number, prefs: Pick<AlertPreferences, 'quietHours' | 'timeZone'>): boolean {
  if (!prefs.quietHours) return false;
  const now = localMinutes(at, prefs.timeZone);
  const start = toMinutes(prefs.quietHours.start);
  const end = toMinutes(prefs.quietHours.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * When a delivery on `channel` may go out. In-app is never held: it is the person's record and
 * interrupts no one. The interrupting channels wait for the daily digest hour when the person chose
 * a digest, and then for the end of quiet hours; an urgent alert (a title leaving within a day)
 * skips the digest but still respects quiet hours unless waiting would make it useless.
 */
export function dueAt(
  channel: AlertChannel,
  prefs: Pick<AlertPreferences, 'quietHours' | 'timeZone' | 'digest' | 'digestHour'>,
  now: number,
  urgentBefore?: number,
): number {
  if (channel === 'inapp') return now;
  let at = now;
  const urgent = urgentBefore !== undefined && urgentBefore - now < DAY_MINUTES * MINUTE;
  if (prefs.digest === 'daily' && !urgent) at = nextLocalTime(at, prefs.digestHour * 60, prefs.timeZone);
  if (prefs.quietHours && inQuietHours(at, prefs)) {
    const end = nextLocalTime(at, toMinutes(prefs.quietHours.end), prefs.timeZone);
    if (!(urgentBefore !== undefined && end >= urgentBefore)) at = end;
  }
  return at;
}
