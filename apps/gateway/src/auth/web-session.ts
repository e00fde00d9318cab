import cookie from '@fastify/cookie';
import type { AuthServer } from '@media-gateway/auth';
import { DomainError, hasControlCharacter } from '@media-gateway/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'mg_session';
/** Pre-session CSRF token for the sign-in form (double-submit cookie). */
export const LOGIN_CSRF_COOKIE = 'mg_login_csrf';

export async function ensureCookies(app: FastifyInstance): Promise<void> {
  if (!app.hasDecorator('parseCookie')) await app.register(cookie);
}

export function cookieOptions(secure: boolean, maxAgeSeconds?: number) {
  // Lax, not Strict: the redirect back from an upstream provider
  // is a cross-site top-level GET that must carry the session.
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

export async function currentSession(auth: AuthServer, req: FastifyRequest) {
  const id = req.cookies[SESSION_COOKIE];
  const session = await auth.sessions.get(id);
  return session && id ? { id, ...session } : undefined;
}

export function sameToken(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length === 0) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Every state-changing form post carries the session's CSRF token. */
export function checkCsrf(expected: string, body: unknown): void {
  const sent = (body as Record<string, unknown> | undefined)?.['csrf'];
  if (!sameToken(expected, sent))
    throw new DomainError(
      'FORBIDDEN',
      'The form expired or came from another site (CSRF check failed). Reload the page and try again.',
      { reason: 'csrf' },
    );
}

export function loginCsrf(req: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = req.cookies[LOGIN_CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(LOGIN_CSRF_COOKIE, token, cookieOptions(secure, 3600));
  return token;
}

const SAME_ORIGIN_PROBE = 'http://return-to.invalid';

/**
 * Only same-site relative paths: `return_to` must never become an open redirect. Browsers drop
 * tabs and newlines inside URLs and read `\` as `/`, so `/\t/evil.example` would leave the site:
 * anything with a control character, whitespace or backslash is refused, and what is left must
 * resolve to our own origin; the normalised path is what we redirect to.
 */
export function safeReturnTo(raw: unknown, fallback = '/auth/account'): string {
  if (
    typeof raw !== 'string' ||
    raw.length > 2000 ||
    !raw.startsWith('/') ||
    hasControlCharacter(raw) ||
    /[\s\\]/.test(raw)
  )
    return fallback;
  let url: URL;
  try {
    url = new URL(raw, SAME_ORIGIN_PROBE);
  } catch {
    return fallback;
  }
  if (url.origin !== SAME_ORIGIN_PROBE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

export function clientIp(req: FastifyRequest): string {
  return req.ip;
}
