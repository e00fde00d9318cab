import { loadPickedImages, loadProviderLogos } from '@media-gateway/catalog';
import {
  DomainError,
  IMAGE_KINDS,
  IMAGE_SIZES,
  type ImageSize,
  imageVersion,
  TITLE_ID_PATTERN,
  upstreamImageUrl,
} from '@media-gateway/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { type CoverInput, coverSvg } from '../home/cover-svg.ts';
import type { ImageOutcome } from '../images/image-proxy.ts';
import { BADGE_SIZES, logoBadgeSvg } from '../images/logo-badge-svg.ts';
import { defineRoute } from '../route.ts';
import { COVER_CSP, sendTagged } from './home.ts';

/** The URL carries the version of the stored reference (`v`): that exact image never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Without the current version the image may change at the next ingest: keep a day, then revalidate. */
const REVALIDATE = 'public, max-age=86400, stale-while-revalidate=604800';
/** No artwork yet: a later ingest may bring some. */
const FALLBACK_NO_ARTWORK = 'public, max-age=3600';
/** The upstream failed: try again soon (the proxy itself waits a minute before asking again). */
const FALLBACK_FAILED = 'public, max-age=300';
/** An image is never a document: no script, no plugin, no navigation, even an svg opened on its own. */
const IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
/** Generated covers are drawn at the width of the source's poster size. */
const COVER_WIDTH: Record<ImageSize, number> = { s: 185, m: 342, l: 780 };

const ImageParams = z
  .object({
    id: z.string().regex(TITLE_ID_PATTERN, 'a title id looks like mg_ followed by 12 letters/digits'),
    kind: z.enum(IMAGE_KINDS),
  })
  .strict();
const ImageQuery = z
  .object({
    size: z.enum(IMAGE_SIZES).default('m'),
    v: z
      .string()
      .regex(/^[a-z0-9]{1,16}$/)
      .optional(),
  })
  .strict();
const ProviderParams = z
  .object({ id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,39}$/, 'a provider id as /api/platforms lists them') })
  .strict();
const LogoQuery = z.object({ size: z.enum(IMAGE_SIZES).default('m') }).strict();

/** Sends proxied bytes with their ETag, or 304 when the client already holds exactly them. */
function sendImage(req: FastifyRequest, reply: FastifyReply, image: ImageOutcome & { ok: true }, cache: string) {
  reply.header('etag', image.etag).header('cache-control', cache).header('content-security-policy', IMAGE_CSP);
  const asked = req.headers['if-none-match'];
  if (asked?.split(',').some((t) => t.trim().replace(/^W\//, '') === image.etag)) return reply.code(304).send();
  return reply.type(image.type).send(image.bytes);
}

/** The fallback is an image too (200): an `<img>` never breaks, and the reason is in a header. */
function sendFallback(req: FastifyRequest, reply: FastifyReply, svg: string, reason: string) {
  reply.header('x-image-fallback', reason).header('content-security-policy', COVER_CSP);
  return sendTagged(
    req,
    reply,
    svg,
    'image/svg+xml; charset=utf-8',
    reason === 'no-artwork' ? FALLBACK_NO_ARTWORK : FALLBACK_FAILED,
  );
}

export async function imageRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    path: '/api/titles/:id/image/:kind',
    summary:
      "A title's poster or backdrop through our caching proxy (?size=s|m|l, the source's own sizes). " +
      "Only the stored references' own hosts are contacted; without artwork, or when the host fails, " +
      'the generated cover (SVG) is answered instead, never a broken image.',
    tags: ['catalog'],
    params: ImageParams,
    query: ImageQuery,
    responses: {
      200: 'image/jpeg, image/png or image/webp; or image/svg+xml (generated cover, header x-image-fallback)',
      304: 'Not modified (If-None-Match)',
      400: 'Bad id, kind or size (problem+json)',
      404: 'No such title (problem+json)',
    },
    handler: async ({ req, reply, params, query }) => {
      // Both lookups at once (independent; on PostgreSQL they run on two pooled connections).
      const [{ rows }, images] = await Promise.all([
        ctx.db.query<CoverInput>('SELECT id, title, year, kind, genres FROM titles WHERE id = $1', [params.id]),
        loadPickedImages(ctx.db, [params.id]),
      ]);
      const title = rows[0];
      if (!title)
        throw new DomainError('NOT_FOUND', `No title with id ${params.id}.`, { resource: 'title', id: params.id });
      const cover = () => coverSvg(title, COVER_WIDTH[query.size]);
      const picked = images.get(params.id)?.[params.kind];
      const url = picked ? upstreamImageUrl(picked, params.kind, query.size) : undefined;
      const served = (outcome: string) => ctx.services.metrics.imageServed(params.kind, outcome);
      if (!picked || !url) {
        served('no-artwork');
        return sendFallback(req, reply, cover(), 'no-artwork');
      }
      const image = await ctx.services.images().get(url);
      served(image.ok ? image.from : image.reason);
      if (!image.ok) return sendFallback(req, reply, cover(), image.reason);
      return sendImage(req, reply, image, query.v === imageVersion(picked) ? IMMUTABLE : REVALIDATE);
    },
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/providers/:id/logo',
    summary:
      "A provider's logo through the same proxy: the sources' logos by a fixed preference " +
      "(TMDb, JustWatch, Streaming Availability), then the registry's; a text badge (SVG) when none can be served.",
    tags: ['catalog'],
    params: ProviderParams,
    query: LogoQuery,
    responses: {
      200: 'The logo image, or a generated badge (image/svg+xml, header x-image-fallback)',
      304: 'Not modified (If-None-Match)',
      404: 'No such provider (problem+json)',
    },
    handler: async ({ req, reply, params, query }) => {
      const provider = await loadProviderLogos(ctx.db, params.id);
      if (!provider)
        throw new DomainError('NOT_FOUND', `No provider with id ${params.id}.`, {
          resource: 'provider',
          id: params.id,
        });
      let reason = 'no-artwork';
      for (const logo of provider.logos) {
        const url = upstreamImageUrl(logo, 'logo', query.size);
        if (!url) continue;
        const image = await ctx.services.images().get(url);
        if (image.ok) {
          ctx.services.metrics.imageServed('logo', image.from);
          return sendImage(req, reply, image, REVALIDATE);
        }
        reason = image.reason;
      }
      ctx.services.metrics.imageServed('logo', reason);
      return sendFallback(req, reply, logoBadgeSvg(params.id, provider.name, BADGE_SIZES[query.size]), reason);
    },
  });
}
