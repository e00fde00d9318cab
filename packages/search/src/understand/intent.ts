import type { Genre } from '@media-gateway/domain';
import type { SearchSpan } from '@media-gateway/domain/contracts';

/** A span of the query and what it was read as: the API's contract (`@media-gateway/domain/contracts`). */
export type Span = SearchSpan;
export type SpanKind = SearchSpan['kind'];

export interface PersonConstraint {
  /** The name as the catalog spells it when found there, else as typed. */
  name: string;
  role: 'director' | 'cast' | 'any';
}

export interface LikeAnchor {
  text: string;
  titleId?: string;
  title?: string;
  year?: number | null;
}

/**
 * A query read into hard constraints (filters) and a free-text remainder (ranking). Every field a
 * constraint sets is applied as a filter, never as a boost; moods filter to "any of" their genres.
 */
export interface SearchIntent {
  text: string;
  services: string[];
  excludeServices: string[];
  /** "my services" was said; the caller substitutes the user's list. */
  myServices: boolean;
  region?: string;
  type?: 'movie' | 'series';
  /** Every one of these genres is required. */
  genres: Genre[];
  excludeGenres: Genre[];
  moods: Array<{ mood: string; anyOf: Genre[]; keywords: string[] }>;
  yearFrom?: number;
  yearTo?: number;
  runtimeMin?: number;
  runtimeMax?: number;
  /** Titles must be rated as suitable from this age or younger (maturity_min_age ≤ maxAge). */
  maxAge?: number;
  /** "leaving netflix soon": an offer in the region (on the asked services, if any) ends within this many days. */
  leavingWithinDays?: number;
  /** "free movies", "free with ads": an offer in the region (on the asked services) is free or ad-supported. */
  freeOnly?: boolean;
  people: PersonConstraint[];
  /** ISO country codes (production country) or language codes; a title matches any of them. */
  countries: string[];
  languages: string[];
  excludeCountries: string[];
  like: LikeAnchor[];
  spans: Span[];
  /** Parts of the query that were recognised as an attempt at a constraint but could not be honoured. */
  notUnderstood: Array<{ text: string; reason: string }>;
  /** Remarks on how the query was read (contradictions, substitutions). */
  notes: string[];
  /** 0–1: share of meaningful words that were read as a constraint or kept as searchable text. */
  confidence: number;
  parser: 'rules' | 'llm';
}

export function emptyIntent(): SearchIntent {
  return {
    text: '',
    services: [],
    excludeServices: [],
    myServices: false,
    genres: [],
    excludeGenres: [],
    moods: [],
    people: [],
    countries: [],
    languages: [],
    excludeCountries: [],
    like: [],
    spans: [],
    notUnderstood: [],
    notes: [],
    confidence: 1,
    parser: 'rules',
  };
}

/** Catalog look-ups the parser needs (people and titles), answered from the in-memory title index. */
export interface CatalogLookup {
  /** Canonical spelling and role of a person when the catalog knows them ("nolan" → Christopher Nolan). */
  findPerson(
    name: string,
    role: 'director' | 'cast' | 'any',
  ): { name: string; role: 'director' | 'cast' | 'any' } | undefined;
  /** The best title match for free text ("stranger things"), with typo tolerance. */
  findTitle(text: string): { id: string; title: string; year: number | null } | undefined;
  /** Whether the text is a title's full name ("the good place"), so its common words must stay. */
  isExactTitle(text: string): boolean;
  /** Newest release year in the catalog: "recent" is relative to the data, not the clock. */
  newestYear(): number;
  /** Whether titles' names or descriptions use the word: a real word, so never read as a typo of a genre word. */
  isKnownWord(word: string): boolean;
}
