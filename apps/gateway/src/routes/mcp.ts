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
import { rebuildInitialized, SharedMcpSessions } from './mcp-shared-sessions.ts';

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
 * MCP over Streamable HTTP at /mcp (stateful sessions, shared by every replica: no sticky routing).
 * Tools run over `app.inject()`, so a tool call is the same REST route with the caller's token:
 * same validation, scopes and use case.
 */
export async function mcpRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const sessions = new McpSessionStore();
  const shared = new SharedMcpSessions(ctx.db);
  const allowed = allowedHostnames(ctx);
  // Stopping (or a rolling restart) drops this replica's copies only; the sessions live on elsewhere.
  // Before the server waits for requests in flight: a client's standalone event stream (GET /mcp)
  // never ends by itself, and would hold the drain until MG_SHUTDOWN_TIMEOUT_SECONDS (exit 1).
  app.addHook('preClose', async () => sessions.closeAll());
  const sweeper = setInterval(() => void shared.sweep().catch(() => {}), 60_000);
  sweeper.unref();
  ctx.onClose.push(() => clearInterval(sweeper));

  /** A transport and server for session `id` on this replica (new, or rebuilt for a session opened elsewhere). */
  const open = async (id: string, subject: string | null, owner: string, rebuilt: boolean, address: string) => {
    // Plain JSON answers (no SSE stream per call): our tools return one result and send no progress.
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id, enableJsonResponse: true });
    if (rebuilt) rebuildInitialized(transport, id);
    transport.onclose = () => void sessions.drop(id);
    const caller = { address };
    await createMcpServer({ api: injectGatewayApi(app, () => caller.address) }).connect(transport);
    const session = { transport, subject, owner, lastUsed: Date.now(), caller };
    if (!(await sessions.add(id, session))) {
      await transport.close().catch(() => {});
      return undefined;
    }
    return session;
  };
  const busy = (reply: FastifyReply) => {
    reply.header('retry-after', '60');
    fail(reply, 429, 'RATE_LIMITED', 'This server holds as many MCP sessions as it can; try again shortly.');
  };

  const handle = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!checkHost(allowed, req, reply)) return;
    const claims = await authorizeMcp(ctx, req, reply);
    if (claims === false) return;
    const sessionId = req.headers['mcp-session-id'];
    let session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;

    if (typeof sessionId === 'string') {
      // The shared record decides, whichever replica holds a copy: ended or expired anywhere is
      // ended here; bound to a person anywhere is bound here.
      const known = await shared.find(sessionId);
      if (!known) {
        if (session) await sessions.drop(sessionId);
        return fail(reply, 404, 'NOT_FOUND', 'Unknown or expired MCP session; initialize a new one.');
      }
      if (session) session.subject = known.subject;
      else {
        // Opened on another replica (or before this one restarted): serve it here.
        session = await open(sessionId, known.subject, known.owner, true, req.ip);
        if (!session) return busy(reply);
      }
    }
    if (!session) {
      if (req.method !== 'POST' || !isInitializeRequest(req.body)) {
        return fail(
          reply,
          400,
          'INVALID_INPUT',
          'No Mcp-Session-Id header: the first request must be an initialize request.',
        );
      }
      const id = sessions.newId();
      const owner = claims ? `user:${claims.userId}` : `ip:${req.ip}`;
      const subject = claims ? claims.userId : null;
      session = await open(id, subject, owner, false, req.ip);
      if (!session) return busy(reply);
      await shared.create(id, subject, owner);
    } else if (claims && session.subject !== claims.userId) {
      // Bound to its first user, on every replica: another person's token cannot ride an existing session.
      if (session.subject === null) session.subject = await shared.bind(sessionId as string, claims.userId);
      if (session.subject !== claims.userId)
        return fail(reply, 403, 'FORBIDDEN', 'This MCP session belongs to another user.');
    }
    const id = typeof sessionId === 'string' ? sessionId : undefined;
    if (id) await shared.touch(id);
    // The client ends the session: it ends on every replica, before the answer tells the client so.
    if (id && req.method === 'DELETE') await shared.end(id);

    if (claims) (req.raw as typeof req.raw & { auth?: AuthInfo }).auth = toAuthInfo(claims, bearerToken(req));
    session.caller.address = req.ip;
    reply.hijack();
    await session.transport.handleRequest(req.raw, reply.raw, req.body);
  };

  // Returning the reply makes Fastify wait for the answer handle() started (a refusal is sent through
  // async onSend hooks): resolving with undefined first made it send a second, empty reply (a logged 500).
  const route = async (req: FastifyRequest, reply: FastifyReply) => {
    await handle(req, reply);
    return reply;
  };
  app.post('/mcp', route);
  app.get('/mcp', route);
  app.delete('/mcp', route);
}
