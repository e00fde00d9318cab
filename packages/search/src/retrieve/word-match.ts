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
  for (const ending of ENDINGS) if (words.has(`${t}${ending}`) || words.has(stem(`${t}${ending}`))) return true;
  return false;
}

/** Endings that make another form of the same English word (after `stem` took off -s, -ed and -ing). */
const ENDINGS = ['r', 'er', 'd', 'ed', 'es', 'ly', 'ing'];
