import type { FastifyInstance } from 'fastify';

/**
 * Headers every response carries. Pages (the web app and the server-rendered sign-in, consent and
 * device pages) get a CSP that forbids framing (clickjacking of the consent page) and inline
 * scripts; `form-action` is left out on purpose, because browsers apply it to the redirect after
 * the consent form, which goes to the client's own redirect_uri. HSTS only when we are served
 * over https (MG_PUBLIC_URL), since on plain http it would be ignored or wrong.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function installSecurityHeaders(app: FastifyInstance, publicUrl: string): void {
  const https = publicUrl.startsWith('https://');
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header('content-security-policy', PAGE_CSP);
      reply.header('x-frame-options', 'DENY');
    }
    return payload;
  });
}
