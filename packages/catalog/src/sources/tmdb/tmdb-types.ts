import { z } from 'zod';

/** TMDb v3 response shapes we read (EXTERNAL-APIS.md §1). Unknown fields are ignored. */

const Provider = z.object({
  provider_id: z.number().int(),
  provider_name: z.string(),
  logo_path: z.string().nullable().optional(),
  display_priority: z.number().optional(),
});
export const TmdbRegionProviders = z.object({
  link: z.string().optional(),
  flatrate: z.array(Provider).optional(),
  free: z.array(Provider).optional(),
  ads: z.array(Provider).optional(),
  rent: z.array(Provider).optional(),
  buy: z.array(Provider).optional(),
});
export type TmdbRegionProviders = z.infer<typeof TmdbRegionProviders>;

export const TmdbListPage = z.object({
  page: z.number().int(),
  total_pages: z.number().int(),
  total_results: z.number().int(),
  results: z.array(z.object({ id: z.number().int() }).passthrough()),
});
export type TmdbListPage = z.infer<typeof TmdbListPage>;

const Credits = z.object({
  cast: z.array(z.object({ name: z.string(), order: z.number().optional() })).default([]),
  crew: z.array(z.object({ name: z.string(), job: z.string() })).default([]),
});

const Common = {
  id: z.number().int(),
  overview: z.string().nullable().optional(),
  original_language: z.string().optional(),
  origin_country: z.array(z.string()).optional(),
  genres: z.array(z.object({ id: z.number(), name: z.string() })).default([]),
  popularity: z.number().optional(),
  vote_count: z.number().optional(),
  adult: z.boolean().optional(),
  /** File paths on image.tmdb.org (URL = base + size + path, EXTERNAL-APIS.md §1). */
  poster_path: z.string().nullable().optional(),
  backdrop_path: z.string().nullable().optional(),
  external_ids: z.object({ imdb_id: z.string().nullable().optional() }).passthrough().optional(),
  credits: Credits.optional(),
  'watch/providers': z.object({ results: z.record(z.string(), TmdbRegionProviders) }).optional(),
};

export const TmdbMovie = z.object({
  ...Common,
  title: z.string().min(1),
  original_title: z.string().optional(),
  release_date: z.string().optional(),
  runtime: z.number().int().nullable().optional(),
  imdb_id: z.string().nullable().optional(),
  production_countries: z.array(z.object({ iso_3166_1: z.string() })).optional(),
  release_dates: z
    .object({
      results: z.array(
        z.object({ iso_3166_1: z.string(), release_dates: z.array(z.object({ certification: z.string() })) }),
      ),
    })
    .optional(),
});
export type TmdbMovie = z.infer<typeof TmdbMovie>;

export const TmdbTv = z.object({
  ...Common,
  name: z.string().min(1),
  original_name: z.string().optional(),
  first_air_date: z.string().optional(),
  episode_run_time: z.array(z.number()).default([]),
  last_episode_to_air: z.object({ runtime: z.number().nullable().optional() }).nullable().optional(),
  number_of_seasons: z.number().int().optional(),
  created_by: z.array(z.object({ name: z.string() })).default([]),
  content_ratings: z.object({ results: z.array(z.object({ iso_3166_1: z.string(), rating: z.string() })) }).optional(),
});
export type TmdbTv = z.infer<typeof TmdbTv>;

/** One line of a daily ID export (`movie_ids_MM_DD_YYYY.json.gz`, one JSON object per line). */
export const TmdbExportLine = z.object({ id: z.number().int(), adult: z.boolean().optional() }).passthrough();
