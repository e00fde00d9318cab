import websocket from '@fastify/websocket';
import type { Scope } from '@media-gateway/auth';
import { DomainError } from '@media-gateway/domain';
import { BEARER_PREFIX, handleSyncConnection, MAX_FRAME_BYTES, SUBPROTOCOL } from '@media-gateway/sync';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';

const READ_SCOPE: Scope = 'watchlist:read';

/**
 * The access token for a WebSocket upgrade (SPEC.md W1): `Authorization: Bearer`, or
 * `Sec-WebSocket-Protocol: mg-sync.v1, bearer.<token>` (browsers cannot set headers).
 * A query-string token is not accepted: URLs end up in logs.
 */
function upgradeToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  if (m?.[1]) return m[1];
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  return protocols.find((p) => p.startsWith(BEARER_PREFIX))?.slice(BEARER_PREFIX.length) || undefined;
}

export async function syncRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  if (!app.hasDecorator('websocketServer')) {
    await app.register(websocket, {
      // A client breaking the protocol (a frame over the size cap, bad framing) is the client's fault: ws has already
      // closed with the right code, and a stack trace at error level per bad frame would let anyone fill the log.
      errorHandler: (error, socket, request) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code?.startsWith('WS_ERR_'))
          request.log.info({ code, reason: error.message }, 'sync: client broke the protocol');
        else if (code === 'ECONNRESET' || code === 'EPIPE') request.log.info({ code }, 'sync: the client went away');
        else request.log.error(error);
        socket.terminate();
      },
      options: {
        maxPayload: MAX_FRAME_BYTES,
        // Pick our subprotocol and never echo the bearer token back.
        handleProtocols: (protocols: Set<string>) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
      },
    });
  }
  const hub = await ctx.services.sync();

  const authenticate = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = upgradeToken(req);
    if (!token) {
      reply.header('www-authenticate', `Bearer realm="media-gateway", scope="${READ_SCOPE}"`);
      throw new DomainError(
        'UNAUTHENTICATED',
        `Sign in first: /sync needs an access token with the "${READ_SCOPE}" scope.`,
        { reason: 'missing_token' },
      );
    }
    const claims = await ctx.tokens.verifyAccessToken(token);
    if (!claims.scopes.includes(READ_SCOPE)) {
      reply.header(
        'www-authenticate',
        `Bearer realm="media-gateway", error="insufficient_scope", scope="${READ_SCOPE}"`,
      );
      throw new DomainError('FORBIDDEN', `This token lacks the "${READ_SCOPE}" scope.`, { scope: READ_SCOPE });
    }
    req.auth = claims;
  };

  app.get('/sync', { websocket: true, preValidation: authenticate }, (socket, req) => {
    const claims = req.auth!;
    handleSyncConnection(
      hub,
      socket,
      {
        userId: claims.userId,
        scopes: claims.scopes,
        // S11: the socket lives as long as its token: not past expiry, not after a revocation anywhere.
        check: () =>
          ctx.tokens.isRevoked(claims) ? 'revoked' : ctx.clock.now() >= claims.expiresAt * 1000 ? 'expired' : undefined,
      },
      { observer: ctx.services.metrics.sync },
    );
  });
}
