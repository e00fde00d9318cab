import type { Genre } from '@media-gateway/domain';

/**
 * Coarse families over our genre taxonomy. Sources disagree on neighbouring labels (MovieLens
 * "Adventure" where JustWatch says "action"; "Mystery" vs "thriller"), so for resolution two
 * records whose genres share no slug but share a family are neither for nor against a match.
 */
export const GENRE_FAMILY: Record<string, string> = {
  action: 'action',
  adventure: 'action',
  war: 'action',
  western: 'action',
  sport: 'action',
  crime: 'suspense',
  thriller: 'suspense',
  mystery: 'suspense',
  horror: 'suspense',
  animation: 'family',
  anime: 'family',
  family: 'family',
  kids: 'family',
  teen: 'family',
  'science-fiction': 'speculative',
  fantasy: 'speculative',
  drama: 'drama',
  romance: 'drama',
  biography: 'drama',
  history: 'drama',
  lgbtq: 'drama',
  faith: 'drama',
  comedy: 'comedy',
  'stand-up': 'comedy',
  'talk-show': 'comedy',
  documentary: 'factual',
  news: 'factual',
  reality: 'factual',
  music: 'music',
} satisfies Record<Genre, string>;
