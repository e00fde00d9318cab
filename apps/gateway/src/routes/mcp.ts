import type { AccessTokenClaims } from '@media-gateway/auth';
import { createMcpServer } from '@media-gateway/mcp';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { problem } from '../problem.ts';
import { allowedHostnames, authorizeMcp, checkHost } from './mcp-guard.ts';
import { injectGatewayApi } from './mcp-inject-api.ts';
import { McpSessionStore } from './mcp-sessions.ts';

function toAuthInfo(claims: AccessTokenClaims, token: string): AuthInfo {
  return {
    token,
    clientId: claims.clientId,
    scopes: claims.scopes,
    expiresAt: claims.expiresAt,
    extra: { userId: claims.userId },
  };
}

function bearerToken(req: FastifyRequest): string {
  return (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
}

function fail(reply: FastifyReply, status: number, code: string, detail: string): void {
  void reply
    .status(status)
    .type('application/problem+json')
    .send(problem(code, status, detail));
}

/**
 * MCP over Streamable HTTP at /mcp (stateful sessions). Tools run over `app.inject()`, so a tool
 * call is the same REST route with the caller's token: same validation, scopes and use case.
 */
export async function mcpRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const sessions = new McpSessionStore();
  const api = injectGatewayApi(app);
  const allowed = allowedHostnames(ctx);
  ctx.onClose.push(() => sessions.closeAll());

  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!checkHost(allowed, req, reply)) return;
    const claims = await authorizeMcp(ctx, req, reply);
    if (claims === false) return;
    const sessionId = req.headers['mcp-session-id'];
    let session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;

    if (!session) {
      if (typeof sessionId === 'string')
        return fail(reply, 404, 'NOT_FOUND', 'Unknown or expired MCP session; initialize a new one.');
      if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
        return fail(
          reply,
          400,
          'INVALID_INPUT',
          'No Mcp-Session-Id header: the first request must be an initialize request.',
        );
      }
      const id = sessions.newId();
      // Plain JSON answers (no SSE stream per call): our tools return one result and send no progress.
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id, enableJsonResponse: true });
      transport.onclose = () => void sessions.drop(id);
      await createMcpServer({ api }).connect(transport);
      const owner = claims ? `user:${claims.userId}` : `ip:${req.ip}`;
      session = { transport, subject: claims ? claims.userId : null, owner, lastUsed: Date.now() };
      if (!(await sessions.add(id, session))) {
        await transport.close().catch(() => {});
        reply.header('retry-after', '60');
        return fail(reply, 429, 'RATE_LIMITED', 'This server holds as many MCP sessions as it can; try again shortly.');
      }
    } else if (claims && session.subject !== claims.userId) {
      // Bound to its first user: another person's token cannot ride an existing session.
      if (session.subject !== null) return fail(reply, 403, 'FORBIDDEN', 'This MCP session belongs to another user.');
      session.subject = claims.userId;
    }

    if (claims) (req.raw as typeof req.raw & { auth?: AuthInfo }).auth = toAuthInfo(claims, bearerToken(req));
    reply.hijack();
    await session.transport.handleRequest(req.raw, reply.raw, req.body);
  };

  app.post('/mcp', handle);
  app.get('/mcp', handle);
  app.delete('/mcp', handle);
}
