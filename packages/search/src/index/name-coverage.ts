import { normalizeTitle } from '@media-gateway/domain';
import { editDistance } from '../understand/edit-distance.ts';

/**
 * Whether words typed for a title ("like the godfather") name that title, when they are not its exact name.
 * The title search finds every title holding all the typed words, so "godfather" found Disco Godfather and the
 * Godfather of Harlem though neither is what was meant: the name typed must also cover most of the title's own
 * name. A title's name is its whole title, or either side of a subtitle ("Mad Max: Fury Road" is also "Mad Max" and
 * "Fury Road"): people name a film by its series or by its subtitle.
 */
export function namesTitle(typedWords: readonly string[], title: string): boolean {
  return titleNames(title).some((name) => covers(typedWords, name));
}

/**
 * The share of a name's words the typed words must hold: two of two, two of three, three of four. One word of a
 * two-word title ("godfather" of "Disco Godfather") is a guess at which of several titles was meant.
 */
const MIN_COVERED = 2 / 3;

/** Words that say little about which title is meant: "office" names The Office. */
const FILLER = new Set(['the', 'a', 'an', 'of', 'and', 'or', 'in', 'on', 'at', 'to', 'for', 'from', 'with', 'by']);

/** The whole title, and each side of a subtitle separator (a colon, or a dash between spaces). */
function titleNames(title: string): string[][] {
  const parts = title.split(/\s*:\s*|\s+[-–—]\s+/);
  const names = parts.length > 1 ? [title, ...parts] : [title];
  return names.map((n) => normalizeTitle(n).split(' ').filter(Boolean)).filter((words) => words.length > 0);
}

function covers(typedWords: readonly string[], nameWords: readonly string[]): boolean {
  const meaningful = nameWords.filter((w) => !FILLER.has(w));
  // A name made only of such words: every word counts.
  const counted = meaningful.length > 0 ? meaningful : nameWords;
  const covered = counted.filter((w) => typedWords.some((t) => sameWord(t, w))).length;
  return covered >= counted.length * MIN_COVERED - 1e-9;
}

/**
 * The typed word is the title's word, or a typo of it within the title search's own tolerance (a fifth of the
 * typed letters, rounded, for words of five letters or more): a word the search matched by a typo counts.
 */
function sameWord(typed: string, word: string): boolean {
  if (typed === word) return true;
  if (typed.length <= 4) return false;
  const most = Math.round(typed.length * 0.2);
  return editDistance(typed, word, most) <= most;
}
