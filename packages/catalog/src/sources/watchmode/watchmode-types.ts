import { z } from 'zod';

/** Watchmode v1 shapes (EXTERNAL-APIS.md §2). */
export const WatchmodeListTitles = z.object({
  titles: z.array(
    z.object({ id: z.number().int(), title: z.string().optional(), type: z.string().optional() }).passthrough(),
  ),
  page: z.number().int(),
  total_results: z.number().int().optional(),
  total_pages: z.number().int(),
});

export const WatchmodeSourceRow = z.object({
  source_id: z.number().int(),
  name: z.string(),
  type: z.string(),
  region: z.string(),
  web_url: z.string().nullable().optional(),
  ios_url: z.string().nullable().optional(),
  android_url: z.string().nullable().optional(),
  format: z.string().nullable().optional(),
  price: z.number().nullable().optional(),
});
export type WatchmodeSourceRow = z.infer<typeof WatchmodeSourceRow>;

export const WatchmodeDetails = z.object({
  id: z.number().int(),
  title: z.string().min(1),
  original_title: z.string().nullable().optional(),
  plot_overview: z.string().nullable().optional(),
  type: z.enum(['movie', 'tv_series', 'tv_miniseries', 'tv_special', 'tv_movie', 'short_film']),
  runtime_minutes: z.number().nullable().optional(),
  year: z.number().int().nullable().optional(),
  imdb_id: z.string().nullable().optional(),
  tmdb_id: z.number().int().nullable().optional(),
  tmdb_type: z.string().nullable().optional(),
  genre_names: z.array(z.string()).default([]),
  us_rating: z.string().nullable().optional(),
  original_language: z.string().nullable().optional(),
  user_rating: z.number().nullable().optional(),
  /** cdn.watchmode.com URLs, one per size Watchmode makes (w185, w342, w780) and a backdrop. */
  poster: z.string().nullable().optional(),
  posterMedium: z.string().nullable().optional(),
  posterLarge: z.string().nullable().optional(),
  backdrop: z.string().nullable().optional(),
  sources: z.array(z.unknown()).default([]),
});
export type WatchmodeDetails = z.infer<typeof WatchmodeDetails>;
