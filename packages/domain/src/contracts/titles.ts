import { z } from 'zod';

// Wire shapes of the catalog endpoints (GET /api/titles, GET /api/titles/:id), exactly as the
// gateway sends them: `@media-gateway/catalog` builds them, the web app, the CLI and the MCP tools
// read them, and /api/openapi.json documents them.

export const TitleMaturitySchema = z.strictObject({
  label: z.string(),
  system: z.string(),
  minAge: z.number().nullable(),
});

/** The facts every title listing carries. */
export const TitleSummarySchema = z.strictObject({
  id: z.string(),
  type: z.enum(['movie', 'series']),
  title: z.string(),
  year: z.number().int().nullable(),
  runtimeMinutes: z.number().int().nullable(),
  /** Null for a movie. */
  seasons: z.number().int().nullable(),
  genres: z.array(z.string()),
  maturity: TitleMaturitySchema.nullable(),
});
export type TitleSummary = z.infer<typeof TitleSummarySchema>;

/** Where to watch: one offer of a title on a platform in a region. */
export const OfferViewSchema = z.strictObject({
  platform: z.string(),
  platformName: z.string(),
  region: z.string(),
  monetization: z.string(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  quality: z.string().nullable(),
  /** Null when there is no link we can honestly give (`urlKind` none). */
  url: z.string().nullable(),
  /**
   * `direct` opens the title; `search` only opens the platform's search for it (decision 0003);
   * `none`: the provider is known only by name, with no page we can link to (decision 0073).
   */
  urlKind: z.enum(['direct', 'search', 'none']),
  appUrl: z.string().nullable(),
  availableFrom: z.string().nullable(),
  availableUntil: z.string().nullable(),
  source: z.string(),
  /** When the source saw this offer (ISO); null when it never said (a file imported without --as-of). */
  lastSeen: z.string().nullable(),
  /** The same, for people: "seen 3 days ago", "as of 2021-09-25", "as of unknown". */
  age: z.string(),
  /** Not seen for more than 7 days, or never dated. */
  isStale: z.boolean(),
  /**
   * Required credit for the offer's source (TMDb → "Watch provider data by JustWatch"); absent when none is required.
   */
  attribution: z.string().optional(),
});
export type OfferView = z.infer<typeof OfferViewSchema>;

/** One source record that was resolved into the title, with how and how sure. */
export const ProvenanceSchema = z.strictObject({
  source: z.string(),
  sourceKey: z.string(),
  method: z.string(),
  confidence: z.number(),
  reason: z.string(),
  /** When this server first loaded this source record (ISO): our own ingest time, not a date the source gave. */
  firstSeen: z.string(),
  /**
   * When this server last loaded this source record (ISO): our own ingest time, not when the source saw the title,
   * which can be much older (the bundled sample's offers are as of its date). That is each offer's `lastSeen`.
   */
  lastSeen: z.string(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

/**
 * A title's artwork as the API serves it: always through our image proxy (decision 0109), never the
 * source's own URL, with the credit the source requires and when the source last reported it.
 */
export const TitleImageSchema = z.strictObject({
  kind: z.enum(['poster', 'backdrop']),
  /** The medium size; `sizes` has all three (`?size=s|m|l`). The `v` parameter pins the upstream image. */
  url: z.string(),
  sizes: z.strictObject({ s: z.string(), m: z.string(), l: z.string() }),
  /** Whose image it is: tmdb, justwatch or watchmode. */
  source: z.string(),
  /** The credit to show with it, e.g. "TMDb". */
  attribution: z.string(),
  /** When the source last reported this image (ISO); null when it never said. */
  seenAt: z.string().nullable(),
});
export type TitleImage = z.infer<typeof TitleImageSchema>;

/** Bundled sample data must be shown as such, with the date its availability was true. */
export const SampleDataSchema = z.strictObject({ asOf: z.string(), note: z.string() });

/** GET /api/titles/:id: one canonical title with offers grouped by region and platform. */
export const TitleViewSchema = z.strictObject({
  ...TitleSummarySchema.shape,
  originalTitle: z.string().nullable(),
  alternateTitles: z.array(z.string()),
  countries: z.array(z.string()),
  languages: z.array(z.string()),
  people: z.strictObject({ directors: z.array(z.string()), cast: z.array(z.string()), creators: z.array(z.string()) }),
  description: z.strictObject({ text: z.string(), source: z.string() }).nullable(),
  externalIds: z.record(z.string(), z.string()),
  /** One poster and one backdrop at most, each picked by a fixed source preference; empty without artwork. */
  images: z.array(TitleImageSchema),
  /** region → platform → offers */
  offers: z.record(z.string(), z.record(z.string(), z.array(OfferViewSchema))),
  provenance: z.array(ProvenanceSchema),
  resolution: z.strictObject({ sources: z.number().int(), confidence: z.number() }),
  /** Set when facts come from the bundled sample catalog, which must be shown as such. */
  sampleData: SampleDataSchema.nullable(),
});
export type TitleView = z.infer<typeof TitleViewSchema>;

/** One item of GET /api/titles: the summary and its offers (in the region, when one was asked for). */
export const TitleListItemSchema = z.strictObject({
  ...TitleSummarySchema.shape,
  offers: z.array(OfferViewSchema),
});
export type TitleListItem = z.infer<typeof TitleListItemSchema>;

/** GET /api/titles: a page in stable order; `nextCursor` is null on the last page. */
export const TitlePageSchema = z.strictObject({
  items: z.array(TitleListItemSchema),
  nextCursor: z.string().nullable(),
  /** Set when any offer on the page comes from the bundled sample catalog, which must be shown as such. */
  sampleData: SampleDataSchema.nullable(),
});
export type TitlePage = z.infer<typeof TitlePageSchema>;
