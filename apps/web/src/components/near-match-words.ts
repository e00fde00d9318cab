/*
 * The words the web search page and TV mode both show for near matches, kept in one place so the two say the same.
 * Plain strings, no components: the TV chunk imports this without loading the search page.
 */

/** The heading over near matches: after a short answer they are "close"; alone they replace an empty answer. */
export function nearMatchHeading(resultCount: number): string {
  return resultCount > 0 ? 'Close to your search' : 'Nothing meets all of these — the closest titles';
}

/** What one near match misses of the query: "Misses: 124 min — over your 2 hours; not on Netflix (on Max)". */
export function missesLine(misses: readonly string[]): string {
  return `Misses: ${misses.join('; ')}`;
}
