import { z } from 'zod';

/** Streaming Availability API v4 shapes (EXTERNAL-APIS.md §3). */
export const SaStreamingOption = z.object({
  service: z
    .object({
      id: z.string(),
      name: z.string(),
      /** Stable, unsigned svg logos (unlike show images, whose signed URLs expire). */
      imageSet: z
        .object({ lightThemeImage: z.string().optional(), darkThemeImage: z.string().optional() })
        .passthrough()
        .optional(),
    })
    .passthrough(),
  type: z.enum(['subscription', 'free', 'rent', 'buy', 'addon']),
  link: z.string(),
  videoLink: z.string().optional(),
  quality: z.string().optional(),
  price: z.object({ amount: z.string(), currency: z.string(), formatted: z.string().optional() }).nullable().optional(),
  addon: z.object({ id: z.string(), name: z.string() }).passthrough().optional(),
  expiresSoon: z.boolean().optional(),
  expiresOn: z.number().optional(),
  availableSince: z.number().optional(),
});
export type SaStreamingOption = z.infer<typeof SaStreamingOption>;

export const SaShow = z.object({
  itemType: z.literal('show').optional(),
  showType: z.enum(['movie', 'series']),
  id: z.string(),
  imdbId: z.string().optional(),
  tmdbId: z.string().optional(),
  title: z.string().min(1),
  originalTitle: z.string().optional(),
  overview: z.string().optional(),
  releaseYear: z.number().int().optional(),
  firstAirYear: z.number().int().optional(),
  genres: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
  directors: z.array(z.string()).default([]),
  creators: z.array(z.string()).default([]),
  cast: z.array(z.string()).default([]),
  rating: z.number().optional(),
  runtime: z.number().optional(),
  seasonCount: z.number().int().optional(),
  streamingOptions: z.record(z.string(), z.array(z.unknown())).default({}),
});
export type SaShow = z.infer<typeof SaShow>;

export const SaSearchPage = z.object({
  shows: z.array(z.unknown()),
  hasMore: z.boolean(),
  nextCursor: z.string().optional(),
});

export const SaChangesPage = z.object({
  changes: z.array(z.object({ changeType: z.string(), itemType: z.string(), showId: z.string() }).passthrough()),
  shows: z.record(z.string(), z.unknown()),
  hasMore: z.boolean(),
  nextCursor: z.string().optional(),
});
