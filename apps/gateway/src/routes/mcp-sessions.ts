import { randomUUID } from 'node:crypto';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface McpSession {
  transport: StreamableHTTPServerTransport;
  /** The user the session belongs to: set by the first request with a token, never changed after. */
  subject: string | null;
  lastUsed: number;
}

/** Caps keep a flood of `initialize` calls from growing memory without bound. */
export const MAX_SESSIONS = 1000;
export const IDLE_MS = 30 * 60_000;

/**
 * Streamable HTTP sessions of this replica. Sessions are per replica (the SDK transport holds the
 * stream); behind a load balancer, /mcp needs sticky routing on `Mcp-Session-Id` (decision 0092).
 */
export class McpSessionStore {
  private readonly sessions = new Map<string, McpSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => void this.sweep(Date.now()), 60_000);
    this.sweeper.unref();
  }

  newId(): string {
    return randomUUID();
  }

  get(id: string): McpSession | undefined {
    const s = this.sessions.get(id);
    if (s) s.lastUsed = Date.now();
    return s;
  }

  async add(id: string, session: McpSession): Promise<void> {
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = [...this.sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (oldest) await this.drop(oldest[0]);
    }
    this.sessions.set(id, session);
  }

  async drop(id: string): Promise<void> {
    const s = this.sessions.get(id);
    this.sessions.delete(id);
    await s?.transport.close().catch(() => {});
  }

  get size(): number {
    return this.sessions.size;
  }

  async sweep(now: number): Promise<void> {
    for (const [id, s] of [...this.sessions]) if (now - s.lastUsed > IDLE_MS) await this.drop(id);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    for (const id of [...this.sessions.keys()]) await this.drop(id);
  }
}
