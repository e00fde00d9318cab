/**
 * Affiliate and campaign parameters that JustWatch (and Watchmode, for iTunes) append to store
 * URLs (EXTERNAL-APIS.md §4): Amazon `tag`, Apple `at`/`ct`/`itscg`/`itsct`, `utm_*`. They are
 * someone else's revenue tracking, not part of the link, so we drop them.
 */
const TRACKING = new Set([
  'tag',
  'at',
  'ct',
  'itscg',
  'itsct',
  'ref',
  'ref_',
  'affiliate',
  'aff_id',
  'irclickid',
  'clickid',
]);

export function stripTracking(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING.has(key.toLowerCase()) || key.toLowerCase().startsWith('utm_')) url.searchParams.delete(key);
  }
  return url.toString();
}

/** A value is a link only when it parses as an http(s) URL: Watchmode's free plan puts prose in ios_url/android_url. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
