import { oldestOfferAge } from '@media-gateway/domain/offer-age';
import { z } from 'zod';
import { callApi, compact, defineTool, REGION, resolveRegion, TITLE_ID } from '../tool-kit.ts';
import { flatOffers, type RestOffer, type RestTitle, titlePath } from './title-shape.ts';

const MONETIZATION = z.enum(['subscription', 'free', 'ads', 'rent', 'buy', 'addon']);
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** Present when the title's availability comes from the bundled sample: agents must say so, with its date. */
const SAMPLE = z
  .object({ asOf: z.string(), note: z.string() })
  .optional()
  .describe('Present when this availability is bundled sample data: say so, with its date');

export const getContentDetails = defineTool({
  name: 'get_content_details',
  title: 'Title details',
  description:
    'Facts about one movie or series: year, runtime, genres, rating, people, a short description, ' +
    'external ids, and the regions and platforms where it can be watched. No sign-in needed.',
  input: z
    .object({ title_id: TITLE_ID, region: REGION.optional().describe('Only list platforms in this region') })
    .strict(),
  output: z.object({
    sampleData: SAMPLE,
    id: z.string(),
    title: z.string(),
    type: z.enum(['movie', 'series']),
    year: z.number().int().optional(),
    runtimeMinutes: z.number().int().optional(),
    seasons: z.number().int().optional(),
    genres: z.array(z.string()),
    rating: z.string().optional(),
    description: z.string().optional(),
    directors: z.array(z.string()).optional(),
    cast: z.array(z.string()).optional(),
    creators: z.array(z.string()).optional(),
    externalIds: z.record(z.string(), z.string()),
    watchIn: z.record(z.string(), z.array(z.string())).describe('region → platform names with an offer'),
    watchInAge: z
      .record(
        z.string(),
        z.array(
          z.object({
            platform: z.string(),
            age: z.string().describe('how old this availability fact is: "seen 3 days ago", "as of unknown"'),
            stale: z.boolean().optional(),
          }),
        ),
      )
      .describe('region → the same platforms, each with when its source last saw it: say this with the platform'),
  }),
  scope: null,
  route: { method: 'GET', path: '/api/titles/:id' },
  annotations: { title: 'Title details', ...READ_ONLY },
  async run(input, ctx) {
    const t = await callApi<RestTitle>(ctx, {
      method: 'GET',
      path: titlePath(input.title_id),
      query: { region: input.region },
    });
    const watchIn: Record<string, string[]> = {};
    const watchInAge: Record<string, Array<{ platform: string; age: string; stale?: boolean }>> = {};
    for (const [region, byPlatform] of Object.entries(t.offers)) {
      watchInAge[region] = Object.values(byPlatform).flatMap((offers) => {
        // One platform's offers: the age of the one its source saw last.
        const seen = oldestOfferAge(offers);
        const name = offers[0]?.platformName;
        return seen && name ? [compact({ platform: name, age: seen.age, stale: seen.isStale ? true : undefined })] : [];
      });
      watchIn[region] = watchInAge[region].map((w) => w.platform);
    }
    return compact({
      id: t.id,
      title: t.title,
      type: t.type,
      year: t.year ?? undefined,
      runtimeMinutes: t.runtimeMinutes ?? undefined,
      seasons: t.seasons ?? undefined,
      genres: t.genres,
      rating: t.maturity?.label,
      description: t.description?.text,
      directors: t.people.directors.length ? t.people.directors : undefined,
      // The first billed names carry the signal; a full cast list costs tokens for little.
      cast: t.people.cast.length ? t.people.cast.slice(0, 8) : undefined,
      creators: t.people.creators.length ? t.people.creators : undefined,
      externalIds: t.externalIds,
      watchIn,
      watchInAge,
      sampleData: t.sampleData ?? undefined,
    });
  },
});

export const checkAvailability = defineTool({
  name: 'check_availability',
  title: 'Where to watch',
  description:
    'Where a title can be watched in one region: ' +
    'each platform with how (subscription, free, ads, rent, buy, addon), price and currency when known, quality, ' +
    'and when the source last confirmed it. Region defaults to your own when signed in.',
  input: z
    .object({
      title_id: TITLE_ID,
      region: REGION.optional(),
      monetization: z.array(MONETIZATION).min(1).optional().describe('Only these ways of watching'),
    })
    .strict(),
  output: z.object({
    sampleData: SAMPLE,
    titleId: z.string(),
    title: z.string(),
    region: z.string(),
    offers: z.array(
      z.object({
        platform: z.string(),
        platformName: z.string(),
        monetization: z.string(),
        price: z.number().optional(),
        currency: z.string().optional(),
        quality: z.string().optional(),
        leavingOn: z.string().optional(),
        lastSeen: z.string().optional().describe('when the source saw this offer (absent: the source never said)'),
        age: z
          .string()
          .describe('how old this availability fact is: "seen 3 days ago", "as of 2021-09-25", "as of unknown"'),
        stale: z.boolean().optional(),
        source: z.string(),
      }),
    ),
  }),
  scope: null,
  route: { method: 'GET', path: '/api/titles/:id' },
  annotations: { title: 'Where to watch', ...READ_ONLY },
  async run(input, ctx) {
    const region = await resolveRegion(ctx, input.region);
    const t = await callApi<RestTitle>(ctx, { method: 'GET', path: titlePath(input.title_id), query: { region } });
    const offers = flatOffers(t)
      .filter((o) => !input.monetization || (input.monetization as string[]).includes(o.monetization))
      .map((o) =>
        compact({
          platform: o.platform,
          platformName: o.platformName,
          monetization: o.monetization,
          price: o.price ?? undefined,
          currency: o.currency ?? undefined,
          quality: o.quality ?? undefined,
          leavingOn: o.availableUntil ?? undefined,
          lastSeen: o.lastSeen?.slice(0, 10),
          age: o.age,
          stale: o.isStale ? true : undefined,
          source: o.source,
        }),
      );
    return compact({ titleId: t.id, title: t.title, region, offers, sampleData: t.sampleData ?? undefined });
  },
});

export const getStreamingLinks = defineTool({
  name: 'get_streaming_links',
  title: 'Streaming links',
  description:
    'Links that open a title on each platform in a region. kind "direct" opens ' +
    'the title itself; kind "search" is the platform\'s search page for the title ' +
    '(used when no platform id is known). appUrl, when present, opens the app.',
  input: z
    .object({
      title_id: TITLE_ID,
      region: REGION.optional(),
      platform: z.string().min(1).max(40).optional().describe('Platform id, e.g. netflix'),
    })
    .strict(),
  output: z.object({
    sampleData: SAMPLE,
    titleId: z.string(),
    title: z.string(),
    region: z.string(),
    links: z.array(
      z.object({
        platform: z.string(),
        platformName: z.string(),
        url: z.string().optional().describe('absent for a provider known only by name (kind none)'),
        kind: z.enum(['direct', 'search', 'none']),
        appUrl: z.string().optional(),
        monetization: z.array(z.string()),
        age: z.string().describe('how old the newest offer behind this link is: "seen 3 days ago", "as of unknown"'),
        stale: z.boolean().optional(),
      }),
    ),
  }),
  scope: null,
  route: { method: 'GET', path: '/api/titles/:id' },
  annotations: { title: 'Streaming links', ...READ_ONLY },
  async run(input, ctx) {
    const region = await resolveRegion(ctx, input.region);
    const t = await callApi<RestTitle>(ctx, { method: 'GET', path: titlePath(input.title_id), query: { region } });
    // One link per platform+url: rent/buy/subscription offers usually share the link.
    const byUrl = new Map<
      string,
      {
        platform: string;
        platformName: string;
        url?: string;
        kind: 'direct' | 'search' | 'none';
        appUrl?: string;
        monetization: string[];
        offers: RestOffer[];
      }
    >();
    for (const o of flatOffers(t)) {
      if (input.platform && o.platform !== input.platform) continue;
      const key = `${o.platform} ${o.url}`;
      const link =
        byUrl.get(key) ??
        compact({
          platform: o.platform,
          platformName: o.platformName,
          url: o.url ?? undefined,
          kind: o.urlKind,
          appUrl: o.appUrl ?? undefined,
          monetization: [] as string[],
          offers: [] as RestOffer[],
        });
      if (!link.monetization.includes(o.monetization)) link.monetization.push(o.monetization);
      link.offers.push(o);
      byUrl.set(key, link);
    }
    const links = [...byUrl.values()].map(({ offers, ...link }) => {
      const seen = oldestOfferAge(offers)!; // one platform's offers: the age of the one seen last
      return compact({ ...link, age: seen.age, stale: seen.isStale ? true : undefined });
    });
    return compact({
      titleId: t.id,
      title: t.title,
      region,
      links,
      sampleData: t.sampleData ?? undefined,
    });
  },
});
