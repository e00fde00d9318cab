import { z } from 'zod';

/** JustWatch GraphQL shapes (unofficial; EXTERNAL-APIS.md §4). */
export const JwOffer = z.object({
  monetizationType: z.string(),
  presentationType: z.string().optional(),
  retailPriceValue: z.number().nullable().optional(),
  currency: z.string().nullable().optional(),
  package: z.object({
    packageId: z.number().int(),
    clearName: z.string(),
    technicalName: z.string().optional(),
    shortName: z.string().optional(),
    /** Relative path on images.justwatch.com (EXTERNAL-APIS.md §4). */
    icon: z.string().nullable().optional(),
  }),
  standardWebURL: z.string().nullable().optional(),
  availableTo: z.string().nullable().optional(),
});
export type JwOffer = z.infer<typeof JwOffer>;

export const JwNode = z.object({
  id: z.string().regex(/^t[ms]\d+$/),
  objectType: z.enum(['MOVIE', 'SHOW']),
  content: z.object({
    title: z.string().min(1),
    originalReleaseYear: z.number().int().nullable().optional(),
    runtime: z.number().nullable().optional(),
    shortDescription: z.string().nullable().optional(),
    genres: z.array(z.object({ shortName: z.string() })).default([]),
    externalIds: z
      .object({ imdbId: z.string().nullable().optional(), tmdbId: z.string().nullable().optional() })
      .default({}),
    ageCertification: z.string().nullable().optional(),
    /** Relative paths on images.justwatch.com whose size segment is the profile asked for (s718, s1920). */
    posterUrl: z.string().nullable().optional(),
    backdrops: z
      .array(z.object({ backdropUrl: z.string().nullable().optional() }))
      .nullable()
      .optional(),
    scoring: z.object({ imdbVotes: z.number().nullable().optional() }).passthrough().nullable().optional(),
  }),
  offers: z.array(z.unknown()).default([]),
});
export type JwNode = z.infer<typeof JwNode>;

export const JwPopularResponse = z.object({
  data: z
    .object({ popularTitles: z.object({ edges: z.array(z.object({ node: z.unknown() })) }) })
    .nullable()
    .optional(),
  errors: z.array(z.object({ message: z.string() }).passthrough()).optional(),
});
