import { findPlatform, type Genre } from '@media-gateway/domain';
import { editDistance } from './edit-distance.ts';
import { GENRE_SPELLINGS, MOODS, NATIONALITIES, NOT_GENRE_TYPOS, STOPWORDS } from './lexicon.ts';

/** A word read as a misspelt genre word: "comdies" → "comedies" (comedy). */
export interface GenreTypo {
  typed: string;
  spelling: string;
  genres: Genre[];
}

/**
 * The genre word a misspelt word stands for ("comdies", "horor", "thriler", "comedys"), or undefined. Typos are
 * tolerated only where they cannot be a word meant as typed:
 * - one edit (a letter added, dropped, changed, or two swapped) for words of five to seven letters, two from eight:
 *   shorter words are too close to each other ("war", "wars" in "star wars");
 * - the first letter as typed: people rarely miss it, and it keeps "grime" from "crime";
 * - never a real word: one the catalog uses (`isKnownWord`: "prime" is no "crime", "thrilled" no "thriller"), a common
 *   English word near a genre word (`NOT_GENRE_TYPOS`: "queen", "comedian"), or one the other rules read (a mood, a
 *   nationality, a service, a stop word);
 * - one genre only: a word as near to two genres' words is left alone.
 */
export function genreTypo(word: string, isKnownWord: (word: string) => boolean): GenreTypo | undefined {
  const most = word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0;
  if (most === 0 || !/^[a-z]+$/.test(word)) return undefined;
  let best: { distance: number; spelling: string; genres: Genre[] } | undefined;
  let ambiguous = false;
  for (const [spelling, genres] of GENRE_SPELLINGS) {
    if (spelling[0] !== word[0]) continue;
    const distance = editDistance(word, spelling, most);
    if (distance > most || (best && distance > best.distance)) continue;
    if (best && distance === best.distance) ambiguous ||= best.genres.join() !== genres.join();
    else {
      best = { distance, spelling, genres };
      ambiguous = false;
    }
  }
  // Asked last, of a word near a genre word only: whether the catalog uses it may take a scan of its descriptions.
  if (!best || ambiguous || isOtherVocabulary(word) || isKnownWord(word)) return undefined;
  return { typed: word, spelling: best.spelling, genres: best.genres };
}

/** The moods' patterns without their global flag, whose `lastIndex` would carry from one test to the next. */
const MOOD_WORDS = MOODS.map((m) => new RegExp(m.pattern.source));

/** A word another rule reads, as it is typed, or a real word near a genre word. */
function isOtherVocabulary(word: string): boolean {
  return (
    STOPWORDS.has(word) ||
    NOT_GENRE_TYPOS.has(word) ||
    findPlatform(word) !== undefined ||
    MOOD_WORDS.some((re) => re.test(word)) ||
    NATIONALITIES.some(([re]) => re.test(word))
  );
}
