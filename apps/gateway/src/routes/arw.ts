import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { getTitle, listTitles } from '@media-gateway/catalog';
import { DomainError, TITLE_ID_PATTERN } from '@media-gateway/domain';
import {
  ARW_LEVEL,
  buildArwManifest,
  extractChunk,
  renderTitleMarkdown,
  TITLE_CHUNKS,
  toLlmsTxt,
} from '@media-gateway/mcp';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { parseInput, routeDocs } from '../route.ts';
import { arwScopeDescriptions, manifestRoutes } from './arw-routes-table.ts';

/** Titles listed in the manifest's `content`; the sitemap lists every title. */
const MANIFEST_TITLES = 50;
const SITEMAP_TTL_MS = 60_000;
const SITEMAP_MAX = 50_000;
const MAX_AGE_SECONDS = 900; // ARW §4.2: machine views cache for at least 900 s

const ChunkQuery = z
  .object({ chunk: z.enum(TITLE_CHUNKS.map((c) => c.id) as [string, ...string[]]).optional() })
  .strict();

function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Sends a cacheable text body with an ETag, answering 304 when the client already has it. */
function sendCached(req: FastifyRequest, reply: FastifyReply, type: string, body: string): FastifyReply {
  const etag = etagOf(body);
  reply.header('etag', etag).header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`).header('vary', 'accept');
  if (req.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type(type).send(body);
}

/**
 * Agent-Ready Web (ARW 0.1, profile ARW-4): the manifest (JSON at /.well-known/arw-manifest.json
 * and /llms.json, YAML at /llms.txt), chunked Markdown machine views of title pages, a sitemap of
 * them, and the AI-* headers the profile requires. Every route here is rate-limited so the
 * advertised AI-Rate-Limit is enforced, not just declared (decision 0093).
 */
export async function arwRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = ctx.config.publicUrl;
  const perMinute = ctx.config.arwRateLimit;

  const manifest = async () => {
    const page = await listTitles(ctx.db, {
      limit: MANIFEST_TITLES,
      now: ctx.clock.now(),
      staleness: ctx.config.catalog.staleness,
    });
    return buildArwManifest({
      publicUrl: base,
      routes: manifestRoutes(routeDocs(app)),
      scopes: arwScopeDescriptions(),
      rateLimitPerMinute: perMinute,
      titles: page.items.map((t) => ({ id: t.id, title: t.title, year: t.year })),
    });
  };

  await app.register(async (scope) => {
    await scope.register(rateLimit, { max: perMinute, timeWindow: 60_000 });
    scope.addHook('onSend', async (req, reply) => {
      const path = req.url.split('?')[0]!;
      const page = /^\/title\/(mg_[a-z2-7]{12})\.llm\.md$/.exec(path);
      reply.header('ai-attribution', `required; format=link; url=${page ? `${base}/title/${page[1]}` : base}`);
      reply.header('ai-training', 'disallowed');
      reply.header('ai-inference', 'allowed');
      reply.header('ai-rate-limit', `${perMinute};window=60`);
      reply.header('ai-arw-level', String(ARW_LEVEL));
      reply.header('link', `<${base}/llms.txt>; rel="llms-manifest"`);
    });

    scope.get('/.well-known/arw-manifest.json', async (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', JSON.stringify(await manifest())),
    );
    scope.get('/llms.json', async (req, reply) =>
      sendCached(req, reply, 'application/json; charset=utf-8', JSON.stringify(await manifest())),
    );
    scope.get('/llms.txt', async (req, reply) =>
      sendCached(req, reply, 'text/plain; charset=utf-8', toLlmsTxt(await manifest(), base)),
    );
    scope.get('/.well-known/llms', async (_req, reply) => reply.redirect('/llms.txt', 302));

    // One query of ids (listing titles with their offers took ~1.5 s at 9,000 titles), kept for a minute: anyone may
    // ask, and every answer is the same.
    let sitemap: { at: number; xml: string } | undefined;
    scope.get('/sitemap.xml', async (req, reply) => {
      const now = ctx.clock.now();
      if (!sitemap || now - sitemap.at > SITEMAP_TTL_MS) {
        const { rows } = await ctx.db.query<{ id: string }>('SELECT id FROM titles ORDER BY norm_title, id LIMIT $1', [
          SITEMAP_MAX,
        ]);
        const urls = rows.map((t) => `  <url><loc>${base}/title/${t.id}.llm.md</loc></url>`);
        const xml =
          `<?xml version="1.0" encoding="UTF-8"?>\n` +
          `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
        sitemap = { at: now, xml };
      }
      return sendCached(req, reply, 'application/xml; charset=utf-8', sitemap.xml);
    });

    // The id is constrained in the path so /title/<id> (the web app's HTML page) stays the web app's.
    scope.get('/title/:id(^mg_[a-z2-7]{12}).llm.md', async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!TITLE_ID_PATTERN.test(id))
        throw new DomainError('INVALID_INPUT', 'A title id looks like mg_ followed by 12 letters/digits.');
      const { chunk } = parseInput(ChunkQuery, req.query, 'query');
      const title = await getTitle(ctx.db, id, { now: ctx.clock.now(), staleness: ctx.config.catalog.staleness });
      if (!title) throw new DomainError('NOT_FOUND', `No title with id ${id}.`, { resource: 'title', id });
      const markdown = renderTitleMarkdown(title);
      if (!chunk) return sendCached(req, reply, 'text/markdown; charset=utf-8', markdown);
      reply.header('ai-chunk-id', chunk);
      return sendCached(req, reply, 'text/markdown; charset=utf-8', extractChunk(markdown, chunk) ?? '');
    });
  });
}
