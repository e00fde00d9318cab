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
 * Whether `term` is one of `words` (from `stemmedWords`): the same word or another form of it ("war" and "wars";
 * "office" and "officer", as the full-text stemmer joins them). A substring is no match: "wick" is not in
 * "Chadwick", nor "star" in "stark".
 */
export function hasWord(words: ReadonlySet<string>, term: string): boolean {
  const t = stem(term);
  if (words.has(t)) return true;
  if (t.length < 5) return false;
  for (const w of words) if (w.length > t.length && w.length - t.length <= 2 && w.startsWith(t)) return true;
  return false;
}
