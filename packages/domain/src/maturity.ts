/**
 * Maturity ratings from several systems normalized to a minimum age.
 * Systems: US MPAA (G…NC-17), US TV parental guidelines (TV-Y…TV-MA), Amazon's age bands
 * (ALL, 7+, 13+, 16+, 18+ and the AGES_16_ spellings), and "not rated" labels.
 * The minimum age is our reading of each label, documented here so it can be checked:
 * G/TV-Y/TV-G/ALL → 0, TV-Y7/7+ → 7, PG/TV-PG → 10, PG-13/13+ → 13, TV-14 → 14,
 * 16+ → 16, R/TV-MA → 17, NC-17/18+ → 18.
 */
export type MaturitySystem = 'us-mpaa' | 'us-tv' | 'age-band' | 'unrated';

export interface Maturity {
  /** The label as the source wrote it, upper-cased (e.g. "TV-MA"). */
  label: string;
  system: MaturitySystem;
  /** Youngest age the rating suits; null when unrated. */
  minAge: number | null;
}

const TABLE: Record<string, [MaturitySystem, number | null]> = {
  G: ['us-mpaa', 0],
  PG: ['us-mpaa', 10],
  'PG-13': ['us-mpaa', 13],
  R: ['us-mpaa', 17],
  'NC-17': ['us-mpaa', 18],
  'TV-Y': ['us-tv', 0],
  'TV-Y7': ['us-tv', 7],
  'TV-Y7-FV': ['us-tv', 7],
  'TV-G': ['us-tv', 0],
  'TV-PG': ['us-tv', 10],
  'TV-14': ['us-tv', 14],
  'TV-MA': ['us-tv', 17],
  ALL: ['age-band', 0],
  ALL_AGES: ['age-band', 0],
  '7+': ['age-band', 7],
  '13+': ['age-band', 13],
  '16+': ['age-band', 16],
  '16': ['age-band', 16],
  AGES_16_: ['age-band', 16],
  '18+': ['age-band', 18],
  AGES_18_: ['age-band', 18],
  NR: ['unrated', null],
  'TV-NR': ['unrated', null],
  UR: ['unrated', null],
  UNRATED: ['unrated', null],
  NOT_RATE: ['unrated', null],
  'NOT RATED': ['unrated', null],
};

/** Returns undefined for empty or unknown labels (callers record unknown ones as a row problem). */
export function normalizeMaturity(raw: string | undefined | null): Maturity | undefined {
  if (!raw) return undefined;
  const label = raw.trim().toUpperCase();
  if (!label) return undefined;
  const entry = TABLE[label];
  if (!entry) return undefined;
  return { label: label === 'NOT_RATE' ? 'NOT RATED' : label, system: entry[0], minAge: entry[1] };
}

export function isKnownMaturityLabel(raw: string): boolean {
  return TABLE[raw.trim().toUpperCase()] !== undefined;
}
