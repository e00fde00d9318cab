import { normalizeTitle } from '@media-gateway/domain';

/**
 * Looser title keys for candidate lookup, weaker evidence than an exact normalized title:
 * number words and Roman numerals become digits ("Three Men and a Baby" ~ "3 Men and a Baby",
 * "Pusher II" ~ "Pusher 2"), sequel filler words go ("Vol. 2" ~ "2"), and a title with a
 * subtitle also yields each part ("Star Wars: Episode IV - A New Hope" ~ "Star Wars",
 * "Sherlock Holmes: Dressed to Kill" ~ "Dressed to Kill"). A loose match alone never merges;
 * it needs the same year and agreeing genres or people on top (see the resolver's weights).
 * Number words and numerals are applied on both sides, so "I"/"V" words are left alone.
 */
const NUMBER_WORDS: Record<string, string> = {
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  ii: '2',
  iii: '3',
  iv: '4',
  vi: '6',
  vii: '7',
  viii: '8',
  ix: '9',
};
// Articles stay: "Deal" and "The Deal" are often different films.
const FILLER = new Set(['vol', 'volume', 'part', 'chapter', 'episode']);

/** Loose form of an already normalized title. */
export function looseForm(norm: string): string {
  return norm
    .split(' ')
    .map((w) => NUMBER_WORDS[w] ?? w)
    .filter((w) => !FILLER.has(w))
    .join(' ');
}

/** Parts of a title with a subtitle; parts shorter than 4 letters or digits-only are too vague. */
const SUBTITLE = /\s*:\s+|\s+[-–—]\s+/;

function subtitleParts(raw: string): string[] {
  const parts = raw.split(SUBTITLE);
  if (parts.length < 2) return [];
  return parts.map(normalizeTitle).filter((p) => p.replace(/[^a-z]/g, '').length >= 4);
}

/** Loose forms of whole titles: compared with the other side's whole titles and parts. */
export function looseTitleKeys(rawTitles: readonly string[]): string[] {
  const keys = new Set(rawTitles.map((raw) => looseForm(normalizeTitle(raw))));
  keys.delete('');
  return [...keys];
}

/**
 * Loose forms of the part before a subtitle, the franchise ("Prep & Landing: Naughty vs. Nice" → "prep landing"): a
 * whole title equal to it is most often another installment, with the same makers and cast.
 */
export function titlePrefixKeys(rawTitles: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const raw of rawTitles) {
    const parts = raw.split(SUBTITLE);
    // The first part itself, not the first one long enough: "It: Chapter Two" has no franchise part to compare.
    const first = parts.length > 1 ? normalizeTitle(parts[0]!) : '';
    if (first.replace(/[^a-z]/g, '').length >= 4) keys.add(looseForm(first));
  }
  keys.delete('');
  return [...keys];
}

/**
 * Loose forms of subtitle parts: compared only with the other side's whole titles, never with
 * its parts, so "Atom: The Beginning" and "B: The Beginning" do not meet through "the beginning".
 */
export function titlePartKeys(rawTitles: readonly string[]): string[] {
  const keys = new Set(rawTitles.flatMap((raw) => subtitleParts(raw).map(looseForm)));
  keys.delete('');
  return [...keys];
}
