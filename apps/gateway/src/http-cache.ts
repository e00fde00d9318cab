import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** Read endpoints whose answers a browser or proxy may keep and revalidate. */
const REVALIDATED = new Set(['/api/titles', '/api/titles/:id', '/api/platforms']);

/**
 * `ETag` on the catalog's read endpoints and `304 Not Modified` when the client already holds that
 * exact answer (`If-None-Match`). The tag is a hash of the body, so it changes exactly when the
 * answer does, on every replica alike. `Cache-Control: no-cache` lets clients keep the answer but
 * makes them ask again each time: availability changes, and a revalidation costs one small request.
 */
export function installHttpCaching(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method !== 'GET' || reply.statusCode !== 200 || !REVALIDATED.has(req.routeOptions.url ?? ''))
      return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag);
    reply.header('cache-control', 'no-cache');
    const asked = req.headers['if-none-match'];
    if (asked?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      reply.code(304);
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}
