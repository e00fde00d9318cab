import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { catalogSummaryRoutes } from './web-catalog-summary.ts';

/** Where `vite build` writes the web app (apps/web/dist); MG_WEB_DIST overrides it. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/**
 * Paths the web app never answers, even when nothing else does: they belong to the API, the
 * authorization server, MCP, sync, machine views and operations. An unknown path under them stays
 * a problem+json 404 instead of turning into the app's HTML. (Specific routes registered by other
 * features win over the catch-all anyway; this list only decides what happens to unknown ones.)
 */
export const RESERVED_PREFIXES = [
  '/api',
  '/oauth',
  '/auth',
  '/mcp',
  '/sync',
  '/.well-known',
  '/healthz',
  '/readyz',
  '/metrics',
  '/llms.txt',
  '/device',
  '/admin',
] as const;

export function isReservedPath(path: string): boolean {
  if (/^\/title\/[^/]+\.llm\.md$/.test(path)) return true;
  return RESERVED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

// Tokens travel in the callback URL's query and in fetch headers: keep them out of Referer, and the
// app out of frames. connect-src 'self' covers same-origin fetch and the /sync WebSocket.
const APP_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;

function notBuiltPage(dist: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Web app not built · Media Gateway</title>` +
    '<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}' +
    `code{background:#eee;padding:.1rem .3rem}</style></head>
<body><main><h1>The web app has not been built yet</h1>
<p>The server is running (the API answers at <a href="/api/titles">/api/titles</a>, ` +
    `health at <a href="/healthz">/healthz</a>),
but there are no built web files in <code>${dist.replace(/[<>&]/g, '')}</code>.</p>
<p><code>npm ci</code> builds them for you (root <code>postinstall</code>). If that step was skipped or failed, run
<code>npm run build:web</code> and reload this page.</p></main></body></html>`
  );
}

/**
 * Serves the built web app (decision 0100): hashed assets with a year-long immutable cache, and
 * index.html (no-cache) for every other GET that no feature route claimed, so deep links such as
 * /title/mg_… or /tv load the app. Registered in its own encapsulated plugin so the reply
 * decorator of @fastify/static cannot clash with anyone else's.
 */
export async function webRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await catalogSummaryRoutes(app, ctx);
  const dist = resolve(ctx.config.webDist ?? DEFAULT_WEB_DIST);
  const indexFile = join(dist, 'index.html');
  if (!existsSync(indexFile)) {
    ctx.logger.warn(
      { dist },
      `The web app is not built (no ${indexFile}); / shows how to build it. Run "npm run build:web".`,
    );
  }

  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root: dist, serve: false, decorateReply: true });

    const sendIndex = (reply: FastifyReply) => {
      // Checked per request: a build finished after start is picked up without a restart.
      if (!existsSync(indexFile))
        return reply
          .status(503)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(notBuiltPage(dist));
      return reply
        .headers({ ...APP_HEADERS, 'cache-control': 'no-cache' })
        .sendFile('index.html', dist, { cacheControl: false });
    };

    scope.get('/*', async (req: FastifyRequest, reply: FastifyReply) => {
      const path = req.url.split('?')[0] ?? '/';
      // An API path is never a page: the app's not-found handler says 404, or 405 when the path takes other methods.
      if (isReservedPath(path)) return reply.callNotFound();
      if (!extname(path)) {
        // The web app signs in on the public URL's origin only: opened at another name of this machine (the
        // address the server logs), it moves there first, so sign-in works and no other loopback name gets a code.
        const canonical = canonicalLoopback(ctx.config.publicUrl, req.host);
        if (canonical) return reply.redirect(`${canonical}${req.url}`, 308);
        return sendIndex(reply);
      }
      // A file request: serve it when it exists inside dist, else a plain 404 (never HTML for a .js).
      let rel: string;
      try {
        rel = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
      } catch {
        throw new DomainError('INVALID_INPUT', 'The path is not valid percent-encoding.');
      }
      const file = resolve(dist, rel);
      if (!file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) {
        throw new DomainError('NOT_FOUND', `No file at ${path}.`);
      }
      if (rel === 'index.html') return sendIndex(reply);
      // The service worker and the manifest change with every build under the same name: browsers
      // must revalidate them (a year-cached worker would pin an old app). Decision 0108.
      if (rel === 'sw.js' || rel === 'manifest.webmanifest') {
        reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache');
        if (rel === 'manifest.webmanifest') reply.type('application/manifest+json');
        return reply.sendFile(rel, dist, { cacheControl: false });
      }
      const hashed = rel.startsWith(`assets${sep}`) || rel.startsWith('assets/');
      reply.header('x-content-type-options', 'nosniff');
      return reply.sendFile(rel, dist, hashed ? { immutable: true, maxAge: '365d' } : { maxAge: '1h' });
    });
  });
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The public URL's origin, when it names this machine and the request reached the same port by another loopback
 * name (`127.0.0.1:3000` for `http://localhost:3000`); otherwise undefined.
 */
export function canonicalLoopback(publicUrl: string, host: string | undefined): string | undefined {
  if (!host) return undefined;
  let pub: URL;
  let asked: URL;
  try {
    pub = new URL(publicUrl);
    asked = new URL(`${pub.protocol}//${host}`);
  } catch {
    return undefined;
  }
  if (!LOOPBACK_NAMES.has(pub.hostname) || !LOOPBACK_NAMES.has(asked.hostname)) return undefined;
  if (asked.hostname === pub.hostname || asked.port !== pub.port) return undefined;
  return pub.origin;
}
