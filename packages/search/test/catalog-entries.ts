import type { CatalogEntry } from '../src/index.ts';

/**
 * A catalog entry holding only what a test names (a movie,
 * everything else empty), for a TitleCatalog without a database.
 */
export function bareEntry(row: Partial<CatalogEntry> & { id: string; title: string }): CatalogEntry {
  return {
    kind: 'movie',
    year: null,
    popularity: 0,
    genres: [],
    directors: [],
    cast: [],
    creators: [],
    countries: [],
    languages: [],
    description: '',
    runtime: null,
    minAge: null,
    offers: new Map(),
    ...row,
  } as CatalogEntry;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A title id as minted (mg_ + 12 base32 characters) for the number `i`, so it maps to a usearch key and back. */
export function titleId(i: number): string {
  let out = '';
  for (let k = 0; k < 12; k++) out = BASE32[(i >>> (5 * k)) & 31] + out;
  return `mg_${out}`;
}
