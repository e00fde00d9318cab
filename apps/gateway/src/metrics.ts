import type { Db } from '@media-gateway/db';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

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
  /** Search stage latency (the search service's observer). */
  searchStage(stage: string, seconds: number): void;
  /** Recommendation latency by stage. */
  recsStage(stage: 'score' | 'total', seconds: number): void;
  /** /sync sockets: opened/closed, frames in and out, update stored → ack latency. */
  sync: {
    opened(): void;
    closed(): void;
    message(direction: 'in' | 'out'): void;
    updateStored(seconds: number): void;
  };
  /** One finished live-source run: its row counts by outcome and its connector calls. */
  ingestRun(source: string, counts: Record<string, number>, outcome: 'completed' | 'failed'): void;
  /** One alert delivery finished: sent, or given up after its retries (decision 0120). */
  alertDelivery(channel: string, outcome: 'sent' | 'failed'): void;
  /** One image answered by the proxy (decision 0109): where from, or why the generated fallback. */
  imageServed(kind: 'poster' | 'backdrop' | 'logo', outcome: string): void;
}

/** What the metrics read at scrape time besides the database. */
export interface MetricsProbes {
  /** Redis reachable, when REDIS_URL is set (undefined: Redis not configured). */
  redisUp?: () => boolean | undefined;
  /** Search worker threads answering now (undefined until search has started). */
  searchWorkersUp?: () => number | undefined;
  /** Search worker threads configured (undefined until search has started). */
  searchWorkers?: () => number | undefined;
}

/** A gauge read from this process when scraped; a probe that does not know yet leaves it out. */
function probedGauge(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      const v = read();
      if (v !== undefined) this.set(v);
    },
  });
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
export function createGatewayMetrics(db: Db, probes: MetricsProbes = {}): GatewayMetrics {
  const registry = new Registry();
  // CPU, memory, event-loop lag, GC and handles of this process, in this registry only.
  collectDefaultMetrics({ register: registry });
  const stageBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
  const searchStages = new Histogram({
    name: 'mg_search_stage_duration_seconds',
    help: 'Search latency by stage: parse, lexical, vector, fusion, total.',
    labelNames: ['stage'] as const,
    buckets: stageBuckets,
    registers: [registry],
  });
  const recsStages = new Histogram({
    name: 'mg_recs_duration_seconds',
    help: 'Recommendation latency by stage: score, total.',
    labelNames: ['stage'] as const,
    buckets: stageBuckets,
    registers: [registry],
  });
  const wsConnections = new Gauge({
    name: 'mg_ws_connections',
    help: 'Open /sync WebSocket connections on this process.',
    registers: [registry],
  });
  const wsMessages = new Counter({
    name: 'mg_ws_messages_total',
    help: '/sync frames, by direction (in = from devices).',
    labelNames: ['direction'] as const,
    registers: [registry],
  });
  const syncUpdates = new Histogram({
    name: 'mg_sync_update_duration_seconds',
    help: 'From an update frame received to its ack sent (stored durably and fanned out).',
    buckets: stageBuckets,
    registers: [registry],
  });
  const ingestRows = new Counter({
    name: 'mg_ingest_rows_total',
    help:
      'Rows of live-source runs finished by this process, ' +
      'by source and outcome (created, updated, unchanged, rejected…).',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  const alertDeliveries = new Counter({
    name: 'mg_alert_deliveries_total',
    help:
      'Alert deliveries finished by this process, ' +
      'by channel (inapp, webhook, email, push) and outcome (sent, failed).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const imagesServed = new Counter({
    name: 'mg_images_served_total',
    help:
      'Images answered by the artwork proxy, by kind (poster, backdrop, logo) and outcome: memory, ' +
      'disk or upstream, else the fallback reason (no-artwork, timeout, http, type, size, refused, off…).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const connectorCalls = new Counter({
    name: 'mg_connector_calls_total',
    help: 'Live-source runs finished by this process, by source and outcome (completed, failed).',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'mg_ingest_last_success_timestamp_seconds',
    help: 'When each source last completed an ingestion run (unix seconds), from the database.',
    labelNames: ['source'] as const,
    registers: [registry],
    async collect() {
      const r = await db.query<{ source: string; at: number }>(
        `SELECT split_part(source, ':', 1) AS source, extract(epoch FROM max(finished_at))::float8 AS at
           FROM ingest_runs WHERE status = 'completed' AND finished_at IS NOT NULL GROUP BY 1`,
      );
      this.reset();
      for (const row of r.rows) this.set({ source: row.source }, row.at);
    },
  });
  if (db.poolStats) {
    const stats = db.poolStats.bind(db);
    new Gauge({
      name: 'mg_db_pool_connections',
      help: 'PostgreSQL pool connections by state (total, idle, waiting clients).',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const s = stats();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
  }
  const redisUp = probes.redisUp;
  if (redisUp) {
    probedGauge(registry, 'mg_redis_up', '1 when this process reaches Redis (REDIS_URL set), 0 when not.', () => {
      const v = redisUp();
      return v === undefined ? undefined : v ? 1 : 0;
    });
  }
  if (probes.searchWorkersUp) {
    probedGauge(
      registry,
      'mg_search_workers_up',
      'Search worker threads answering searches now (0: the server thread answers them; decision 0124).',
      probes.searchWorkersUp,
    );
  }
  if (probes.searchWorkers) {
    probedGauge(
      registry,
      'mg_search_workers',
      'Search worker threads this process runs when all are up (MG_SEARCH_WORKERS or its default).',
      probes.searchWorkers,
    );
  }
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
    searchStage: (stage, seconds) => searchStages.observe({ stage }, seconds),
    recsStage: (stage, seconds) => recsStages.observe({ stage }, seconds),
    sync: {
      opened: () => wsConnections.inc(),
      closed: () => wsConnections.dec(),
      message: (direction) => wsMessages.inc({ direction }),
      updateStored: (seconds) => syncUpdates.observe(seconds),
    },
    ingestRun(source, counts, outcome) {
      connectorCalls.inc({ source, outcome });
      for (const [name, n] of Object.entries(counts)) if (n > 0) ingestRows.inc({ source, outcome: name }, n);
    },
    alertDelivery: (channel, outcome) => alertDeliveries.inc({ channel, outcome }),
    imageServed: (kind, outcome) => imagesServed.inc({ kind, outcome }),
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
