import { stem } from '../embed/tokenize.ts';
import { STOPWORDS } from '../understand/lexicon.ts';
import { queryTerms, textWords } from './filters.ts';

/** The words a person typed that can match a title's text: the query's terms without "the", "of", "and"… */
export function contentTerms(text: string): string[] {
  return queryTerms(text).filter((t) => !STOPWORDS.has(t));
}

/** A text's words, lowercased, without accents and lightly stemmed ("wars" → "war"). */
export function stemmedWords(text: string): Set<string> {
  return new Set(textWords(text).map(stem));
}

/**
 * Whether `term` is one of `words` (from `stemmedWords`): the same word or another form of it by an English ending
 * ("war" and "wars"; "office" and "officer", as the full-text stemmer joins them). Nothing else counts: "wick" is
 * not in "Chadwick", "space" not in "Spacey", "plane" not in "planet".
 */
export function hasWord(words: ReadonlySet<string>, term: string): boolean {
  const t = stem(term);
  if (words.has(t)) return true;
  if (t.length < 4) return false;
  // "kidnapping" and "kidnapped" lose -ing/-ed but keep the doubled consonant; "kidnap" and "kidnaps" have one.
  if (DOUBLED.test(t) ? words.has(t.slice(0, -1)) : DOUBLES.test(t) && words.has(`${t}${t.at(-1)}`)) return true;
  for (const ending of ENDINGS) if (words.has(`${t}${ending}`) || words.has(stem(`${t}${ending}`))) return true;
  return false;
}

/** A doubled final consonant that English doubles before -ing/-ed ("stopp", "kidnapp"), not "ll", "ss" or "zz". */
const DOUBLED = /([b-df-hj-km-np-rtv-y])\1$/;

/** A final consonant English doubles before -ing/-ed after a short vowel ("kidnap" → "kidnapped"). */
const DOUBLES = /[aeiou][bdgmnprt]$/;

/** Endings that make another form of the same English word (after `stem` took off -s, -ed and -ing). */
const ENDINGS = ['r', 'er', 'd', 'ed', 'es', 'ly', 'ing'];

/** Whether a title holds any of `terms` (from `contentTerms`) as a whole word in its title, credits or description. */
export function holdsAnyWord(
  e: { title: string; directors: readonly string[]; cast: readonly string[]; description: string },
  terms: readonly string[],
): boolean {
  // Every form `hasWord` accepts begins with the term's stem less its last letter ("kidnap" for "kidnapping",
  // "stor" for "stories"): a field that holds none of those letters anywhere is not split and stemmed at all.
  const prefixes = terms.map((t) => {
    const s = stem(t);
    return s.length > 4 ? s.slice(0, -1) : s;
  });
  for (const text of [e.title, `${e.directors.join(' ')} ${e.cast.join(' ')}`, e.description]) {
    const folded = text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
    if (!prefixes.some((p) => folded.includes(p))) continue;
    const words = stemmedWords(text);
    if (terms.some((t) => hasWord(words, t))) return true;
  }
  return false;
}
