import { z } from 'zod';
import { GENRES } from './genres.ts';
import { SourceImageSchema } from './images.ts';

export const TitleKindSchema = z.enum(['movie', 'series']);
export type TitleKind = z.infer<typeof TitleKindSchema>;

export const MonetizationSchema = z.enum(['subscription', 'free', 'ads', 'rent', 'buy', 'addon']);
export type Monetization = z.infer<typeof MonetizationSchema>;

export const LinkKindSchema = z.enum(['direct', 'search', 'none']);

export const MaturitySchema = z.object({
  label: z.string().min(1).max(32),
  system: z.enum(['us-mpaa', 'us-tv', 'age-band', 'unrated']),
  minAge: z.number().int().min(0).max(21).nullable(),
});

/** One offer as a source reports it, before we store it. */
export const SourceOfferSchema = z.object({
  /** A registry id (`netflix`), or one derived from the source's own provider id (`tmdb-provider-1825`). */
  platform: z.string().min(1).max(40),
  /** The provider's name as the source reports it; kept for providers the registry does not know. */
  platformName: z.string().min(1).max(200).optional(),
  /** The provider's logo as the source serves it (TMDb `logo_path` on image.tmdb.org, JustWatch icons). */
  platformLogo: z.string().url().max(2000).optional(),
  region: z.string().regex(/^[A-Z]{2}$/),
  monetization: MonetizationSchema,
  price: z.number().nonnegative().max(10_000).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  quality: z.string().max(16).optional(),
  /** The platform's own content id, when the source gave one: the only basis for a `direct` link. */
  nativeId: z.string().min(1).max(200).optional(),
  /** A full URL the source gave for this offer (already a deep link on the platform). */
  webUrl: z.string().url().max(2000).optional(),
  appUrl: z.string().max(2000).optional(),
  availableFrom: z.string().datetime({ offset: true }).optional(),
  availableUntil: z.string().datetime({ offset: true }).optional(),
});
export type SourceOffer = z.infer<typeof SourceOfferSchema>;

export const ExternalIdsSchema = z.object({
  imdb: z
    .string()
    .regex(/^tt\d{7,9}$/)
    .optional(),
  tmdb: z
    .string()
    .regex(/^(movie|tv):\d+$/)
    .optional(),
  justwatch: z
    .string()
    .regex(/^t[ms]\d+$/)
    .optional(),
  watchmode: z.string().regex(/^\d+$/).optional(),
  /** Platform-native ids keyed by platform registry id. */
  platforms: z.record(z.string(), z.string().min(1).max(200)).optional(),
});
export type ExternalIds = z.infer<typeof ExternalIdsSchema>;

/**
 * What every source adapter (CSV, JSONL, live API) produces: one title as that source sees it,
 * already normalized onto our taxonomy. Resolution then maps it onto a canonical title.
 */
export const SourceRecordSchema = z.object({
  source: z.string().min(1).max(80),
  sourceKey: z.string().min(1).max(300),
  kind: TitleKindSchema,
  title: z.string().min(1).max(500),
  originalTitle: z.string().max(500).optional(),
  alternateTitles: z.array(z.string().max(500)).max(50).default([]),
  year: z.number().int().min(1870).max(2100).optional(),
  runtimeMinutes: z.number().int().min(1).max(1500).optional(),
  seasons: z.number().int().min(1).max(200).optional(),
  genres: z.array(z.enum(GENRES)).max(30).default([]),
  genreLabels: z.array(z.string().max(100)).max(50).default([]),
  maturity: MaturitySchema.optional(),
  countries: z
    .array(z.string().regex(/^[A-Z]{2}$/))
    .max(50)
    .default([]),
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}$/))
    .max(30)
    .default([]),
  directors: z.array(z.string().max(500)).max(50).default([]),
  cast: z.array(z.string().max(500)).max(200).default([]),
  creators: z.array(z.string().max(500)).max(50).default([]),
  description: z.string().max(5000).optional(),
  externalIds: ExternalIdsSchema.default({}),
  offers: z.array(SourceOfferSchema).max(500).default([]),
  /**
   * Artwork the source gave, as stable references (decision 0109). Optional, with no default, so
   * records of sources without artwork hash as they did before it existed.
   */
  images: z.array(SourceImageSchema).max(10).optional(),
  /** Popularity/score hints a source may carry (e.g. IMDb votes); used for ranking, never shown as ours. */
  signals: z.record(z.string(), z.number()).optional(),
});
export type SourceRecord = z.infer<typeof SourceRecordSchema>;
export type SourceRecordInput = z.input<typeof SourceRecordSchema>;

/** An offer as we serve it. */
export interface Offer {
  platform: string;
  region: string;
  monetization: Monetization;
  price?: number;
  currency?: string;
  quality?: string;
  /** Null when we know no link for the offer (`urlKind` none). */
  url: string | null;
  urlKind: 'direct' | 'search' | 'none';
  appUrl?: string;
  availableFrom?: string;
  availableUntil?: string;
  source: string;
  lastSeen: string;
  isStale: boolean;
}

export interface Person {
  name: string;
  role: 'director' | 'cast' | 'creator';
}

/** A canonical title as the API and the JSONL export show it. */
export interface CanonicalTitle {
  id: string;
  kind: TitleKind;
  title: string;
  originalTitle?: string;
  alternateTitles: string[];
  year?: number;
  runtimeMinutes?: number;
  seasons?: number;
  genres: string[];
  maturity?: z.infer<typeof MaturitySchema>;
  countries: string[];
  languages: string[];
  directors: string[];
  cast: string[];
  creators: string[];
  description?: { text: string; source: string };
  externalIds: ExternalIds;
}
