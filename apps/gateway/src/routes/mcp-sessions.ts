import { randomUUID } from 'node:crypto';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface McpSession {
  transport: StreamableHTTPServerTransport;
  /** The user the session belongs to: set by the first request with a token, never changed after. */
  subject: string | null;
  /** Who opened it, for fair shares: the user, or the client address when anonymous. */
  owner: string;
  lastUsed: number;
  /** The address of the session's latest request: its tool calls spend that caller's request budget. */
  caller: { address: string };
}

/** Caps keep a flood of `initialize` calls from growing memory without bound. */
export const MAX_SESSIONS = 1000;
/** One owner (user, or address when anonymous) holds at most this many; more replace their own oldest. */
export const MAX_SESSIONS_PER_OWNER = 16;
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

  /**
   * Adds a session without ever evicting another owner's because of a flood: an owner at their cap
   * loses their own oldest; when the replica is full, the owner holding the most sessions loses
   * their oldest. Returns false (refuse: try later) only when every owner holds a single session.
   */
  async add(id: string, session: McpSession): Promise<boolean> {
    const mine = this.oldestOf(session.owner);
    if (mine.count >= MAX_SESSIONS_PER_OWNER && mine.oldest) await this.drop(mine.oldest);
    else if (this.sessions.size >= MAX_SESSIONS) {
      await this.sweep(Date.now());
      if (this.sessions.size >= MAX_SESSIONS) {
        const heaviest = this.heaviestOwner();
        if (!heaviest || heaviest.count <= 1) return false;
        await this.drop(heaviest.oldest);
      }
    }
    this.sessions.set(id, session);
    return true;
  }

  private oldestOf(owner: string): { count: number; oldest: string | undefined } {
    let count = 0;
    let oldest: [string, McpSession] | undefined;
    for (const entry of this.sessions) {
      if (entry[1].owner !== owner) continue;
      count++;
      if (!oldest || entry[1].lastUsed < oldest[1].lastUsed) oldest = entry;
    }
    return { count, oldest: oldest?.[0] };
  }

  private heaviestOwner(): { count: number; oldest: string } | undefined {
    const counts = new Map<string, number>();
    for (const s of this.sessions.values()) counts.set(s.owner, (counts.get(s.owner) ?? 0) + 1);
    let best: string | undefined;
    for (const [owner, n] of counts) if (best === undefined || n > counts.get(best)!) best = owner;
    if (best === undefined) return undefined;
    const { count, oldest } = this.oldestOf(best);
    return oldest ? { count, oldest } : undefined;
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
