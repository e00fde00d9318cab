import type { Db } from '@media-gateway/db';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** How far back the dashboard's "recent" request rate and p95 look. */
export const RECENT_WINDOW_MS = 5 * 60_000;
/** Most request samples kept for the recent window (bounded memory under any load). */
const MAX_SAMPLES = 20_000;

export interface RecentRequests {
  /** Requests per second over the window (or over the process's life when it is younger). */
  ratePerSecond: number;
  p50Ms: number | null;
  p95Ms: number | null;
  count: number;
  windowSeconds: number;
  /** Share of the window's responses that were 5xx. */
  serverErrorRate: number;
}

export interface GatewayMetrics {
  registry: Registry;
  recent(now?: number): RecentRequests;
  /** Records one answered request (called by the hook `installMetrics` adds). */
  observe(request: { method: string; route: string; status: number; ms: number }): void;
}

/**
 * A ring buffer of (time, duration, status) for the last few minutes. prom-client's histogram
 * answers rates and quantiles only through a Prometheus server; the dashboard needs them from
 * this process directly, so we keep the raw recent samples too (decision 0106).
 */
class RecentSamples {
  private readonly at = new Float64Array(MAX_SAMPLES);
  private readonly ms = new Float64Array(MAX_SAMPLES);
  private readonly status = new Uint16Array(MAX_SAMPLES);
  private next = 0;
  private size = 0;
  private readonly startedAt = Date.now();

  add(at: number, ms: number, status: number): void {
    this.at[this.next] = at;
    this.ms[this.next] = ms;
    this.status[this.next] = status;
    this.next = (this.next + 1) % MAX_SAMPLES;
    this.size = Math.min(this.size + 1, MAX_SAMPLES);
  }

  summary(now: number): RecentRequests {
    const since = now - RECENT_WINDOW_MS;
    const durations: number[] = [];
    let errors = 0;
    let oldest = now;
    for (let i = 0; i < this.size; i++) {
      const t = this.at[i]!;
      if (t < since) continue;
      durations.push(this.ms[i]!);
      if (this.status[i]! >= 500) errors++;
      oldest = Math.min(oldest, t);
    }
    // When the buffer is full the window is what it holds, not the nominal five minutes.
    const windowStart =
      this.size === MAX_SAMPLES && durations.length === this.size ? oldest : Math.max(since, this.startedAt);
    const windowSeconds = Math.max(1, (now - windowStart) / 1000);
    durations.sort((a, b) => a - b);
    const q = (p: number) =>
      durations.length ? round(durations[Math.min(durations.length - 1, Math.ceil(p * durations.length) - 1)]!) : null;
    return {
      ratePerSecond: round(durations.length / windowSeconds),
      p50Ms: q(0.5),
      p95Ms: q(0.95),
      count: durations.length,
      windowSeconds: Math.round(windowSeconds),
      serverErrorRate: durations.length ? round(errors / durations.length) : 0,
    };
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Request metrics for every route, plus catalog gauges read at scrape time. One registry per
 * context (not prom-client's global one) so several gateways in one process, as in tests, never
 * clash. Built by compose.ts; `installMetrics` feeds it from every response.
 */
export function createGatewayMetrics(db: Db): GatewayMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'mg_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'mg_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'mg_catalog_titles',
    help: 'Canonical titles in the catalog.',
    registers: [registry],
    async collect() {
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles');
      this.set(r.rows[0]?.n ?? 0);
    },
  });
  new Gauge({
    name: 'mg_catalog_offers',
    help: 'Offers in the catalog, by platform.',
    labelNames: ['platform'] as const,
    registers: [registry],
    async collect() {
      const r = await db.query<{ platform: string; n: number }>(
        'SELECT platform, count(*)::int AS n FROM offers GROUP BY platform',
      );
      this.reset();
      for (const row of r.rows) this.set({ platform: row.platform }, row.n);
    },
  });
  new Gauge({
    name: 'mg_users',
    help: 'Accounts that are not deleted.',
    registers: [registry],
    async collect() {
      const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE deleted_at IS NULL');
      this.set(r.rows[0]?.n ?? 0);
    },
  });

  const recent = new RecentSamples();
  return {
    registry,
    recent: (now = Date.now()) => recent.summary(now),
    observe({ method, route, status, ms }) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, ms / 1000);
      recent.add(Date.now(), ms, status);
    },
  };
}

/** Feeds `metrics` from every response (installed in app.ts before the routes). */
export function installMetrics(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern (/api/titles/:id), never the raw URL: label cardinality stays bounded.
    metrics.observe({
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      ms: reply.elapsedTime,
    });
  });
}
