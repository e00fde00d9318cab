import { fnv1a, normalizeInPlace } from './vector-math.ts';

/** Dimensions of the content space (and of the user adapter that lives in it). */
export const CONTENT_DIM = 64;
/** Each feature lands on this many (dimension, sign) slots: a sparse random projection. */
const SLOTS = 4;

/** What we know about an item that is not interactions: enough to place a brand-new title. */
export interface ItemContent {
  kind?: string | null;
  genres: readonly string[];
  year?: number | null;
  directors?: readonly string[];
  cast?: readonly string[];
  countries?: readonly string[];
  languages?: readonly string[];
}

/**
 * Weighted features. Genres dominate on purpose: they are the one field every source fills and
 * the axis people give feedback on ("less horror"); people are sparse but very specific.
 */
export function contentFeatures(item: ItemContent): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const g of item.genres) out.push([`g:${g.toLowerCase()}`, 1]);
  if (item.kind) out.push([`k:${item.kind}`, 0.35]);
  if (item.year) out.push([`d:${Math.floor(item.year / 10)}`, 0.3]);
  for (const d of (item.directors ?? []).slice(0, 3)) out.push([`p:${d.toLowerCase()}`, 0.6]);
  for (const c of (item.cast ?? []).slice(0, 5)) out.push([`p:${c.toLowerCase()}`, 0.25]);
  for (const c of (item.countries ?? []).slice(0, 3)) out.push([`c:${c}`, 0.25]);
  for (const l of (item.languages ?? []).slice(0, 2)) out.push([`l:${l}`, 0.2]);
  return out;
}

/** Writes the unit-length content vector of `item` into `out` at `offset`. */
export function writeContentVector(item: ItemContent, out: Float32Array, offset: number): void {
  for (const [feature, weight] of contentFeatures(item)) {
    for (let s = 0; s < SLOTS; s++) {
      const h = fnv1a(feature, 0x811c9dc5 ^ Math.imul(s + 1, 0x9e3779b1));
      const dim = h % CONTENT_DIM;
      const sign = (h >>> 16) & 1 ? 1 : -1;
      out[offset + dim]! += (sign * weight) / Math.sqrt(SLOTS);
    }
  }
  normalizeInPlace(out, offset, CONTENT_DIM);
}
