import { type NotStreaming, NotStreamingSchema } from '@media-gateway/domain/contracts';
import { type AgedOffer, oldestOfferAge } from '@media-gateway/domain/offer-age';
import { z } from 'zod';
import { callApi, compact, defineTool, REGION } from '../tool-kit.ts';

/** The recommender's moods and devices (a test keeps these equal to @media-gateway/recommend's lists). */
export const MOODS = [
  'light',
  'funny',
  'thrilling',
  'scary',
  'romantic',
  'thoughtful',
  'relaxed',
  'adventurous',
  'family',
] as const;
export const DEVICES = ['tv', 'desktop', 'tablet', 'mobile'] as const;

const Hit = z.object({
  id: z.string(),
  title: z.string(),
  year: z.number().int().optional(),
  type: z.string(),
  runtimeMinutes: z.number().int().optional(),
  genres: z.array(z.string()),
  rating: z
    .string()
    .optional()
    .describe('The maturity rating ("PG-13", "TV-MA") when a source gave one: check it before suggesting to a child'),
  on: z.array(z.string()).describe('platform ids with an offer in the region'),
  seen: z
    .string()
    .optional()
    .describe('When the sources last saw those offers ("seen today", "as of 2021-09-25"; the oldest of them)'),
  stale: z
    .boolean()
    .optional()
    .describe('true when an offer may be out of date: say so, or confirm with check_availability'),
  why: z.string().optional(),
  leaves: z
    .string()
    .optional()
    .describe('The first day (ISO) an offer shown ends, when a source said: "what\'s leaving netflix" lists these'),
});

interface RestHit {
  id: string;
  title: string;
  year: number | null;
  type: string;
  runtimeMinutes: number | null;
  genres: string[];
  maturity?: { label: string } | null;
  offers?: Array<AgedOffer & { availableUntil?: string }>;
  platforms?: string[];
  why?: string;
}

function toHit(r: RestHit): z.infer<typeof Hit> {
  const on = r.platforms ?? [...new Set((r.offers ?? []).map((o) => o.platform))];
  const seen = oldestOfferAge(r.offers ?? [], on);
  return compact({
    id: r.id,
    title: r.title,
    year: r.year ?? undefined,
    type: r.type,
    runtimeMinutes: r.runtimeMinutes ?? undefined,
    genres: r.genres,
    rating: r.maturity?.label,
    on,
    seen: seen?.age,
    stale: seen?.isStale,
    why: r.why,
    leaves: (r.offers ?? [])
      .map((o) => o.availableUntil)
      .filter((d): d is string => d !== undefined)
      .sort()[0]
      ?.slice(0, 10),
  });
}

export const semanticSearch = defineTool({
  name: 'semantic_search',
  title: 'Search movies and series',
  description:
    'Natural-language search over the catalog, e.g. "scary movies like Stranger Things on Netflix under 2 hours". ' +
    'Understands services, region, genres, moods, years, runtime, ratings and ages ("for a 7 year old"), people, ' +
    '"like <title>", "free movies" and "leaving <service> soon". ' +
    'Each hit says why it matched. Signed in, results follow your region and services.',
  input: z
    .object({
      query: z.string().trim().min(1).max(500),
      region: REGION.optional(),
      type: z.enum(['movie', 'series']).optional(),
      limit: z.number().int().min(1).max(50).default(10),
    })
    .strict(),
  output: z.object({
    understood: z.record(z.string(), z.unknown()).optional(),
    results: z.array(Hit),
    nearMatches: z
      .array(Hit.extend({ misses: z.array(z.string()) }))
      .optional()
      .describe(
        'Only when no title, or fewer than 3, meet every constraint: the closest others, each with exactly what it misses',
      ),
    notStreaming: NotStreamingSchema.optional().describe(
      'With no result or near match beyond: titles that meet every constraint but no service offers in the region ' +
        '(as of that date). Not watchable there; add_to_watchlist lets the person hear when one arrives',
    ),
    sampleData: z
      .object({ asOf: z.string(), note: z.string() })
      .optional()
      .describe('Present when availability shown comes from the bundled sample catalog: say so, with its date'),
  }),
  scope: null,
  route: { method: 'POST', path: '/api/search' },
  annotations: {
    title: 'Search movies and series',
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  async run(input, ctx) {
    const res = await callApi<{
      understood?: Record<string, unknown>;
      results: RestHit[];
      nearMatches?: Array<RestHit & { misses: string[] }>;
      notStreaming?: NotStreaming;
      sampleData?: { asOf: string; note: string };
    }>(ctx, {
      method: 'POST',
      path: '/api/search',
      body: compact({ query: input.query, region: input.region, type: input.type, limit: input.limit }),
    });
    // Keep only the non-empty parts of how the query was understood: the agent needs them to explain, not the nulls.
    const understood = res.understood
      ? Object.fromEntries(
          Object.entries(res.understood).filter(
            ([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
          ),
        )
      : undefined;
    return compact({
      understood,
      results: res.results.map(toHit),
      nearMatches: res.nearMatches?.map((n) => ({ ...toHit(n), misses: n.misses })),
      notStreaming: res.notStreaming,
      sampleData: res.sampleData,
    });
  },
});

export const getRecommendations = defineTool({
  name: 'get_recommendations',
  title: 'Recommendations',
  description:
    'What the signed-in person might watch next, only from titles on their services in their region, ' +
    'each with the reason it was picked. Optional mood and device context. Needs the recommendations scope.',
  input: z
    .object({
      limit: z.number().int().min(1).max(50).default(10),
      mood: z.enum(MOODS).optional().describe('Re-rank for a mood'),
      device: z.enum(DEVICES).optional().describe('The screen it will be watched on'),
    })
    .strict(),
  output: z.object({
    region: z.string(),
    services: z.array(z.string()),
    items: z.array(Hit),
    sampleData: z
      .object({ asOf: z.string(), note: z.string() })
      .optional()
      .describe('Present when these titles come from the bundled sample catalog: say so, with its date'),
  }),
  scope: 'recommendations',
  route: { method: 'GET', path: '/api/recommendations' },
  annotations: { title: 'Recommendations', readOnlyHint: true, openWorldHint: false },
  async run(input, ctx) {
    const res = await callApi<{
      region: string;
      services: string[];
      items: RestHit[];
      sampleData?: { asOf: string; note: string };
    }>(ctx, {
      method: 'GET',
      path: '/api/recommendations',
      query: { limit: input.limit, mood: input.mood, device: input.device },
    });
    return compact({
      region: res.region,
      services: res.services,
      items: res.items.map(toHit),
      sampleData: res.sampleData,
    });
  },
});
