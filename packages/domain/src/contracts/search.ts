import { z } from 'zod';
import { GENRES } from '../genres.ts';

// Wire shape of POST /api/search, as `@media-gateway/search` answers it.

export { EMPTY_CATALOG_NOTE, emptyForWantOfData, NO_SOURCE_REPORTED } from './search-notes.ts';

/** What a span of the query was read as. */
export const SPAN_KINDS = [
  'service',
  'my-services',
  'exclude-service',
  'type',
  'genre',
  'exclude-genre',
  'mood',
  'years',
  'runtime',
  'maturity',
  'person',
  'country',
  'exclude-country',
  'like',
  'unknown-service',
  'region',
  'leaving',
  'free',
] as const;

export const SearchSpanSchema = z.strictObject({
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  kind: z.enum(SPAN_KINDS),
  /** The value it was read as, in words ("netflix", "1990–1999", "≤ 120 min"). */
  value: z.string(),
});
export type SearchSpan = z.infer<typeof SearchSpanSchema>;

const GenreSchema = z.enum(GENRES);

/** How the query was read: hard constraints (filters), the free-text rest, and what could not be used. */
export const SearchUnderstoodSchema = z.strictObject({
  text: z.string(),
  /** The platform ids offers were required to be on (query ∪ request ∪ "my services"). */
  services: z.array(z.string()),
  excludeServices: z.array(z.string()),
  myServices: z.boolean(),
  region: z.string(),
  type: z.enum(['movie', 'series']).optional(),
  genres: z.array(GenreSchema),
  excludeGenres: z.array(GenreSchema),
  moods: z.array(z.strictObject({ mood: z.string(), anyOf: z.array(GenreSchema), keywords: z.array(z.string()) })),
  yearFrom: z.number().int().optional(),
  yearTo: z.number().int().optional(),
  runtimeMin: z.number().optional(),
  runtimeMax: z.number().optional(),
  maxAge: z.number().optional(),
  /** Only titles whose offer in the region (on the asked services) ends within this many days. */
  leavingWithinDays: z.number().int().optional(),
  /** Only titles with a free or ad-supported offer in the region (on the asked services). */
  freeOnly: z.boolean().optional(),
  people: z.array(z.strictObject({ name: z.string(), role: z.enum(['director', 'cast', 'any']) })),
  countries: z.array(z.string()),
  languages: z.array(z.string()),
  excludeCountries: z.array(z.string()),
  like: z.array(
    z.strictObject({
      text: z.string(),
      titleId: z.string().optional(),
      title: z.string().optional(),
      year: z.number().int().nullable().optional(),
    }),
  ),
  spans: z.array(SearchSpanSchema),
  notUnderstood: z.array(z.strictObject({ text: z.string(), reason: z.string() })),
  notes: z.array(z.string()),
  /** 0–1: share of meaningful words that were read as a constraint or kept as searchable text. */
  confidence: z.number(),
  parser: z.enum(['rules', 'llm']),
});
export type SearchUnderstood = z.infer<typeof SearchUnderstoodSchema>;

/** An offer of a search hit, in the searched region (one per platform and monetization). */
export const SearchOfferSchema = z.strictObject({
  platform: z.string(),
  /** The provider's name: the registry's, or the one the source reported for a provider the registry does not know. */
  platformName: z.string().optional(),
  region: z.string(),
  monetization: z.string(),
  price: z.number().optional(),
  currency: z.string().optional(),
  /** Null when there is no link we can honestly give (`urlKind` none, decision 0073). */
  url: z.string().nullable(),
  urlKind: z.enum(['direct', 'search', 'none']),
  /** When the source saw it (ISO); null when it never said. */
  lastSeen: z.string().nullable(),
  /** When the offer ends (ISO), when a source said it would. */
  availableUntil: z.string().datetime({ offset: true }).optional(),
  /** "seen 3 days ago", "as of 2021-09-25", "as of unknown". */
  age: z.string(),
  isStale: z.boolean(),
  /** Present when the offer comes from the bundled sample catalog. */
  sample: z.literal(true).optional(),
});
export type SearchOffer = z.infer<typeof SearchOfferSchema>;

export const SearchHitSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  year: z.number().int().nullable(),
  type: z.enum(['movie', 'series']),
  runtimeMinutes: z.number().int().nullable(),
  /** Only for a series whose season count is known. */
  seasons: z.number().int().optional(),
  genres: z.array(z.string()),
  maturity: z.strictObject({ label: z.string(), minAge: z.number().nullable() }).nullable(),
  offers: z.array(SearchOfferSchema),
  score: z.number(),
  /** Why it matched, in one line. */
  why: z.string(),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const NearMatchSchema = z.strictObject({
  ...SearchHitSchema.shape,
  /** The constraints this title does not meet. */
  misses: z.array(z.string()),
});
export type NearMatch = z.infer<typeof NearMatchSchema>;

/**
 * Titles that meet every constraint but have no current offer in the region: named when an answer is empty or short
 * and has no near match ("films by Christopher Nolan" where none is streaming). Not watchable here, so not results.
 */
export const NotStreamingSchema = z.strictObject({
  region: z.string(),
  /** The date of the newest offer any source reported for the region (YYYY-MM-DD); null when none said when. */
  asOf: z.string().nullable(),
  /** How many titles; `titles` holds the most popular few. */
  count: z.number().int(),
  titles: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      year: z.number().int().nullable(),
      type: z.enum(['movie', 'series']),
    }),
  ),
});
export type NotStreaming = z.infer<typeof NotStreamingSchema>;

/** POST /api/search */
export const SearchResponseSchema = z.strictObject({
  understood: SearchUnderstoodSchema,
  /** Titles that meet every constraint. */
  results: z.array(SearchHitSchema),
  /** Only when no title, or fewer than 3, meet them all: the closest others, each labelled with what it misses. */
  nearMatches: z.array(NearMatchSchema).optional(),
  notStreaming: NotStreamingSchema.optional(),
  nextCursor: z.string().optional(),
  /** Present when any offer shown is sample data: when its availability was true, and what to do. */
  sampleData: z.strictObject({ asOf: z.string(), note: z.string() }).optional(),
});
export type SearchResponse = z.infer<typeof SearchResponseSchema>;
