/** Branded ids: a raw string never crosses a package boundary unchecked. */
export type TitleId = string & { readonly __brand: 'TitleId' };
export type UserId = string & { readonly __brand: 'UserId' };
export type PlatformId = string & { readonly __brand: 'PlatformId' };
export type ImdbId = string & { readonly __brand: 'ImdbId' };

/** Canonical title ids look like `mg_` + 12 lowercase base32 characters. */
export const TITLE_ID_PATTERN = /^mg_[a-z2-7]{12}$/;
/** IMDb ids: `tt` then 7–9 digits. */
export const IMDB_ID_PATTERN = /^tt\d{7,9}$/;

export function isTitleId(value: string): value is TitleId {
  return TITLE_ID_PATTERN.test(value);
}

/** Normalizes `tt0111161`, `111161` or `0111161` to `tt0111161` (7 digits minimum); undefined when not an id. */
export function toImdbId(value: string | number | undefined | null): ImdbId | undefined {
  if (value === undefined || value === null) return undefined;
  const raw = String(value).trim().toLowerCase();
  const digits = raw.startsWith('tt') ? raw.slice(2) : raw;
  if (!/^\d{1,9}$/.test(digits) || Number(digits) === 0) return undefined;
  // Over-padded spellings (tt01064932) are the same id as tt1064932.
  return `tt${String(Number(digits)).padStart(7, '0')}` as ImdbId;
}
