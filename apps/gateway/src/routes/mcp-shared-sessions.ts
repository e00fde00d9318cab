import type { Db } from '@media-gateway/db';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { IDLE_MS } from './mcp-sessions.ts';

/** How often a replica writes "still used" for a session it serves (the idle sweep needs no more). */
const TOUCH_EVERY_MS = 60_000;

/**
 * MCP sessions as every replica sees them (table `mcp_sessions`): who a session belongs to and
 * when it was last used. Any replica can serve any session: the one that receives a request for a
 * session it does not hold rebuilds its transport (`rebuildInitialized`). A session ends for all
 * when the client deletes it or after 30 idle minutes; a replica that stops (rolling restart)
 * only drops its own copies.
 */
export class SharedMcpSessions {
  private readonly touchedAt = new Map<string, number>();

  constructor(private readonly db: Db) {}

  async create(id: string, subject: string | null, owner: string): Promise<void> {
    await this.db.query('INSERT INTO mcp_sessions (id, subject, owner) VALUES ($1, $2, $3)', [id, subject, owner]);
    this.touchedAt.set(id, Date.now());
  }

  /** The session if it exists and is not idle past its lifetime. */
  async find(id: string): Promise<{ subject: string | null; owner: string } | undefined> {
    const { rows } = await this.db.query<{ subject: string | null; owner: string }>(
      `SELECT subject, owner FROM mcp_sessions WHERE id = $1 AND last_used > now() - $2 * interval '1 millisecond'`,
      [id, IDLE_MS],
    );
    return rows[0];
  }

  /** Binds an anonymous session to `userId` (first token wins, on every replica); returns its subject. */
  async bind(id: string, userId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ subject: string | null }>(
      `UPDATE mcp_sessions SET subject = COALESCE(subject, $2) WHERE id = $1 RETURNING subject`,
      [id, userId],
    );
    return rows[0]?.subject ?? null;
  }

  async touch(id: string): Promise<void> {
    const now = Date.now();
    if (now - (this.touchedAt.get(id) ?? 0) < TOUCH_EVERY_MS) return;
    this.touchedAt.set(id, now);
    await this.db.query('UPDATE mcp_sessions SET last_used = now() WHERE id = $1', [id]);
  }

  async end(id: string): Promise<void> {
    this.touchedAt.delete(id);
    await this.db.query('DELETE FROM mcp_sessions WHERE id = $1', [id]);
  }

  async sweep(): Promise<void> {
    await this.db.query(`DELETE FROM mcp_sessions WHERE last_used < now() - $1 * interval '1 millisecond'`, [IDLE_MS]);
    for (const [id, at] of this.touchedAt) if (Date.now() - at > IDLE_MS) this.touchedAt.delete(id);
  }
}

/**
 * Makes a fresh transport serve a session that was initialized on another replica. The SDK
 * (1.32) keeps "initialized" and the session id in private fields set only by the initialize
 * handshake, and has no public way to restore them (typescript-sdk issue #1658); we set them,
 * and fail loudly if a new SDK version renames them, rather than answer "not initialized".
 */
export function rebuildInitialized(transport: StreamableHTTPServerTransport, id: string): void {
  const inner = (transport as unknown as { _webStandardTransport?: { _initialized?: boolean; sessionId?: string } })
    ._webStandardTransport;
  if (!inner || !('_initialized' in inner))
    throw new Error('this MCP SDK version cannot restore a session on another replica (see mcp-shared-sessions.ts)');
  inner._initialized = true;
  inner.sessionId = id;
}
