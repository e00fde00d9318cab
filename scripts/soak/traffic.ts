import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Ledger } from './ledger.ts';
import type { Recorder } from './stats.ts';

const QUERIES = [
  'space adventure',
  'funny movies',
  'crime drama on netflix',
  'scary movies under 2 hours',
  'documentary about nature',
  'animated family film',
  'sci-fi series',
  'romantic comedy',
  'thriller like inception',
  'war history',
];

/** The request mix (weights sum to 1). */
export const MIX: Array<[kind: string, weight: number]> = [
  ['search', 0.22],
  ['title', 0.22],
  ['recommendations', 0.1],
  ['events', 0.1],
  ['watchlist_add', 0.12],
  ['progress', 0.1],
  ['watchlist_read', 0.06],
  ['mcp', 0.08],
];

export interface HttpResult {
  status: number;
  server: string | null;
  body: unknown;
}

export async function http(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, server: res.headers.get('x-mg-server'), body };
}

/** A few MCP clients (the SDK's, Streamable HTTP) kept open through the load balancer; re-opened when one fails. */
export class McpPool {
  private clients: Array<Promise<Client> | undefined> = [];
  private next = 0;
  constructor(
    private readonly base: string,
    private readonly tokens: string[],
  ) {}

  private open(i: number): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', this.base), {
      requestInit: { headers: { authorization: `Bearer ${this.tokens[i]}` } },
    });
    const client = new Client({ name: 'soak', version: '1.0.0' });
    const opened = client.connect(transport).then(() => client);
    opened.catch(() => {
      this.clients[i] = undefined;
    });
    return opened;
  }

  async call(name: string, args: Record<string, unknown>): Promise<void> {
    const i = this.next++ % this.tokens.length;
    this.clients[i] ??= this.open(i);
    const pending = this.clients[i]!;
    try {
      const client = await pending;
      const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: 20_000 })) as {
        isError?: boolean;
        content?: Array<{ text?: string }>;
      };
      if (result.isError) throw new Error(`tool error: ${result.content?.[0]?.text?.slice(0, 80)}`);
    } catch (error) {
      // The next call opens a fresh session (a failed one may be half-open).
      if (this.clients[i] === pending) this.clients[i] = undefined;
      void pending.then((c) => c.close()).catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c?.then((x) => x.close()).catch(() => {})));
  }
}

export interface TrafficContext {
  base: string;
  rec: Recorder;
  ledger: Ledger;
  titles: string[];
  users: string[];
  tokens: Map<string, string>;
  busyUsers: Set<string>;
  mcp: McpPool;
}

const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

function pickKind(): string {
  let r = Math.random();
  for (const [kind, w] of MIX) {
    r -= w;
    if (r <= 0) return kind;
  }
  return MIX[0]![0];
}

/** A signed-in user with no write in flight (so each user's writes are applied in the order sent). */
function idleUser(ctx: TrafficContext): string | undefined {
  for (let k = 0; k < 20; k++) {
    const u = pick(ctx.users);
    if (!ctx.busyUsers.has(u)) return u;
  }
  return undefined;
}

const outcome = (status: number) => (status >= 200 && status < 300 ? 'acked' : status < 500 ? 'refused' : 'uncertain');

/** One request of the mix; recorded with its latency and phase; writes go to the ledger. */
export async function oneRequest(ctx: TrafficContext): Promise<void> {
  let kind = pickKind();
  const started = performance.now();
  let user: string | undefined;
  let write: { titleId: string; kind: 'add' | 'progress'; position?: number } | undefined;
  try {
    let res: HttpResult | undefined;
    switch (kind) {
      case 'search':
        res = await http(ctx.base, 'POST', '/api/search', { body: { query: pick(QUERIES), limit: 10 } });
        break;
      case 'title':
        res = await http(ctx.base, 'GET', `/api/titles/${pick(ctx.titles)}`);
        break;
      case 'recommendations':
        res = await http(ctx.base, 'GET', '/api/recommendations?limit=10', { token: ctx.tokens.get(pick(ctx.users)) });
        break;
      case 'events':
        res = await http(ctx.base, 'POST', '/api/events', {
          token: ctx.tokens.get(pick(ctx.users)),
          body: { events: [{ id: randomUUID(), type: pick(['view', 'click', 'like']), titleId: pick(ctx.titles) }] },
        });
        break;
      case 'watchlist_read':
        res = await http(ctx.base, 'GET', '/api/watchlist', { token: ctx.tokens.get(pick(ctx.users)) });
        break;
      case 'mcp':
        if (Math.random() < 0.5) await ctx.mcp.call('check_availability', { title_id: pick(ctx.titles), region: 'US' });
        else await ctx.mcp.call('semantic_search', { query: pick(QUERIES), limit: 5 });
        ctx.rec.record(kind, started, true);
        return;
      case 'watchlist_add':
      case 'progress': {
        user = idleUser(ctx);
        if (!user) return;
        ctx.busyUsers.add(user);
        const added = kind === 'progress' ? ctx.ledger.ackedAdd(user, 'rest') : undefined;
        if (added) {
          write = { kind: 'progress', titleId: added, position: ctx.ledger.nextPosition() };
          res = await http(ctx.base, 'PUT', `/api/progress/${added}`, {
            token: ctx.tokens.get(user),
            body: { positionSeconds: write.position, durationSeconds: 7200 },
          });
        } else {
          kind = 'watchlist_add';
          const titleId = ctx.ledger.freshTitle(user);
          if (!titleId) return;
          write = { kind: 'add', titleId };
          res = await http(ctx.base, 'POST', '/api/watchlist', { token: ctx.tokens.get(user), body: { titleId } });
        }
        ctx.ledger.record({ user, via: 'rest', outcome: outcome(res.status), phase: ctx.rec.phase, ...write });
        break;
      }
    }
    const ok = !!res && res.status >= 200 && res.status < 300;
    ctx.rec.record(kind, started, ok, ok ? undefined : `HTTP ${res?.status} ${JSON.stringify(res?.body).slice(0, 80)}`);
  } catch (error) {
    if (user && write) ctx.ledger.record({ user, via: 'rest', outcome: 'uncertain', phase: ctx.rec.phase, ...write });
    // fetch's own message is only "fetch failed": the socket error underneath says what happened.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause ? ` (${cause.code ?? cause.message ?? 'unknown cause'})` : '';
    ctx.rec.record(kind, started, false, `${(error as Error).message}${why}`.slice(0, 100));
  } finally {
    if (user) ctx.busyUsers.delete(user);
  }
}

/** Open loop at `rate` requests/s, at most `maxInFlight` at once (the rest are counted as shed). */
export function drive(rate: number, maxInFlight: number, fire: () => Promise<void>) {
  let stopped = false;
  let issued = 0;
  let shed = 0;
  let inFlight = 0;
  const start = performance.now();
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    if (stopped) return;
    const due = Math.floor(((performance.now() - start) * rate) / 1000) - issued;
    for (let k = 0; k < due; k++) {
      issued++;
      if (inFlight >= maxInFlight) {
        shed++;
        continue;
      }
      inFlight++;
      const p = fire()
        .catch(() => {})
        .finally(() => {
          inFlight--;
          inflight.delete(p);
        });
      inflight.add(p);
    }
  }, 10);
  return {
    stats: () => ({ issued, shed }),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await Promise.all([...inflight]);
    },
  };
}
