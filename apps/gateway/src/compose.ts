import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AuthServer,
  createAuthServer,
  createTokenService,
  installationId,
  type TokenService,
} from '@media-gateway/auth';
import { createDb, type Db } from '@media-gateway/db';
import { type Clock, type Logger, systemClock } from '@media-gateway/domain';
import { RecommenderService } from '@media-gateway/recommend';
import { createSearchService, type SearchService, type WorkerSetup } from '@media-gateway/search';
import { BUS_CHANNEL, memoryBus, redisBus, SyncHub } from '@media-gateway/sync';
import type { GatewayConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.ts';
import type { FetchLike } from './images/image-fetch.ts';
import { ImageProxy } from './images/image-proxy.ts';
import { ReadCache } from './read-cache.ts';
import { defaultSearchWorkers, SearchOffload, thisMachine } from './search-offload.ts';
import { stageSpan, tracedDb } from './tracing.ts';
import { UploadRunner } from './routes/admin-upload-job.ts';

/**
 * The one place that builds every service, from one validated config. Services that take seconds
 * to start (search's index, the authorization server, the sync hub and its Redis bus) are built on
 * first use and then shared; a failed start is not kept, so the next use tries again. Everything
 * built registers its own close on `ctx.onClose`, which runs last-registered first, so services
 * close before the database they use.
 */
export interface Services {
  metrics: GatewayMetrics;
  /** Catalog read answers, kept until the catalog changes (read-cache.ts). */
  readCache: ReadCache;
  recommender(): RecommenderService;
  /** `background`: answer words-only while the vector index loads (the server's start). */
  search(options?: { background?: boolean }): Promise<SearchService>;
  /** Answers /api/search as JSON text, on the search worker thread when it is up (decision 0124). */
  searchAnswers(): SearchOffload;
  auth(): Promise<AuthServer>;
  sync(): Promise<SyncHub>;
  /** The hub if this process already runs one (erasure drops state from it; nothing to do otherwise). */
  startedSync(): Promise<SyncHub> | undefined;
  uploads(): UploadRunner;
  /** The artwork proxy: memory + disk cache in front of the allow-listed image hosts (decision 0109). */
  images(): ImageProxy;
}

/** What a context is built from: storage, tokens and time; everything else is derived here. */
export interface ContextParts {
  config: GatewayConfig;
  db: Db;
  logger: Logger;
  tokens: TokenService;
  clock?: Clock;
  /** False when the caller closes a database shared by several contexts (replicas in one test). */
  closeDb?: boolean;
  /** How the image proxy reaches image hosts (default: global fetch); tests point it at a local fake. */
  fetch?: FetchLike;
}

/** Builds the context for given parts (the server, the CLI and test harnesses all come through here). */
export function contextFor(parts: ContextParts): AppContext {
  const ctx = {
    config: parts.config,
    // A span per query when tracing is on; the database itself otherwise.
    db: tracedDb(parts.db),
    logger: parts.logger,
    clock: parts.clock ?? systemClock(),
    tokens: parts.tokens,
    onClose: parts.closeDb === false ? [] : [() => parts.db.close()],
    lifecycle: { draining: false },
  } as Omit<AppContext, 'services'> as AppContext;
  ctx.services = composeServices(ctx, parts.fetch ?? ((url, init) => fetch(url, init)));
  return ctx;
}

/** Opens storage as configured (PostgreSQL or embedded PGlite) and composes the context on it. */
export async function createContext(config: GatewayConfig, logger: Logger, clock?: Clock): Promise<AppContext> {
  const db = await createDb(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir });
  const tokens = await createTokenService(db, { issuer: config.publicUrl, ...(clock ? { clock } : {}) });
  return contextFor({ config, db, logger, tokens, ...(clock ? { clock } : {}) });
}

/** Closes what the context built, last-built first, then its database. */
export async function closeContext(ctx: AppContext): Promise<void> {
  for (const close of ctx.onClose.splice(0).reverse()) await close();
}

/** A promise made once and shared; forgotten when it fails so the next call starts over. */
function retryingOnce<T>(make: () => Promise<T>): { get(): Promise<T>; started(): Promise<T> | undefined } {
  let current: Promise<T> | undefined;
  return {
    get() {
      if (current) return current;
      const created = make();
      current = created;
      created.catch(() => {
        if (current === created) current = undefined;
      });
      return created;
    },
    started: () => current,
  };
}

function composeServices(ctx: AppContext, fetchImages: FetchLike): Services {
  let recommender: RecommenderService | undefined;
  let uploads: UploadRunner | undefined;
  let images: ImageProxy | undefined;
  let searchOptions: { background?: boolean } = {};
  let hub: SyncHub | undefined;
  let offload: SearchOffload | undefined;
  const metrics = createGatewayMetrics(ctx.db, {
    // Redis as the sync bus sees it (the bus reconnects by itself); unknown until the hub starts.
    ...(ctx.config.redisUrl ? { redisUp: () => hub?.bus.isUp() } : {}),
    searchWorkersUp: () => offload?.workersUp,
    searchWorkers: () => offload?.size,
  });
  const searchStage = (stage: string, seconds: number) => {
    metrics.searchStage(stage, seconds);
    stageSpan(`search.${stage}`, seconds);
  };
  const search = retryingOnce(() => buildSearch(ctx, searchOptions, searchStage, () => offload?.keepUp()));
  const recsStage = (stage: 'score' | 'total', seconds: number) => {
    metrics.recsStage(stage, seconds);
    stageSpan(`recommend.${stage}`, seconds);
  };
  const auth = retryingOnce(() => buildAuth(ctx));
  const sync = retryingOnce(async () => {
    hub = await buildSync(ctx);
    return hub;
  });
  return {
    metrics,
    readCache: new ReadCache(ctx.db, ctx.clock),
    recommender() {
      recommender ??= new RecommenderService(ctx.db, { clock: ctx.clock, observe: recsStage });
      return recommender;
    },
    search(options = {}) {
      searchOptions = options;
      return search.get();
    },
    searchAnswers() {
      if (!offload) {
        const size = ctx.config.search.workers ?? defaultSearchWorkers(thisMachine());
        const made = new SearchOffload(searchWorkerSetup(ctx), size, ctx.db, ctx.logger, ctx.clock, searchStage);
        offload = made;
        ctx.onClose.push(() => made.close());
      }
      return offload;
    },
    auth: () => auth.get(),
    sync: () => sync.get(),
    startedSync: () => sync.started(),
    uploads() {
      if (!uploads) {
        const runner = new UploadRunner(ctx.db, ctx.logger, ctx.clock);
        uploads = runner;
        ctx.onClose.push(() => runner.close());
      }
      return uploads;
    },
    images() {
      images ??= buildImages(ctx, fetchImages);
      return images;
    },
  };
}

/** `<dataDir>/images` only when that data dir is really in use (as for the search index below). */
function buildImages(ctx: AppContext, fetchImages: FetchLike): ImageProxy {
  const { config } = ctx;
  const useDisk = config.images.diskBytes > 0 && (existsSync(join(config.dataDir, 'pglite')) || config.dataDirExplicit);
  return new ImageProxy({
    fetch: fetchImages,
    clock: ctx.clock,
    logger: ctx.logger.child({ component: 'images' }),
    enabled: config.images.enabled,
    memoryBytes: config.images.memoryBytes,
    disk: useDisk ? { dir: join(config.dataDir, 'images'), bytes: config.images.diskBytes } : undefined,
    timeoutMs: config.images.timeoutMs,
  });
}

/**
 * The index is saved under `<dataDir>/search` only when that data dir is really in use (embedded
 * PGlite there, or MG_DATA_DIR set explicitly), so test apps never write into the working tree.
 */
function searchIndexOnDisk(config: GatewayConfig): boolean {
  return config.search.index !== 'memory' && (existsSync(join(config.dataDir, 'pglite')) || config.dataDirExplicit);
}

/** Search worker threads load the index saved on disk. */
function searchWorkerSetup(ctx: AppContext): WorkerSetup | undefined {
  const { config } = ctx;
  if (!searchIndexOnDisk(config)) return undefined;
  return {
    dataDir: config.dataDir,
    backend: ctx.db.backend,
    vectors: config.search.vectors,
    embeddings: config.search.embeddings,
    llm: config.search.llm,
    staleness: config.catalog.staleness,
  };
}

function buildSearch(
  ctx: AppContext,
  options: { background?: boolean },
  observe: (stage: string, seconds: number) => void,
  onVectorsSwapped: () => void,
): Promise<SearchService> {
  const { config } = ctx;
  return createSearchService({
    db: ctx.db,
    dataDir: searchIndexOnDisk(config) ? config.dataDir : undefined,
    llm: config.search.llm,
    vectors: config.search.vectors,
    ...(config.search.embeddings ? { embeddings: config.search.embeddings } : {}),
    logger: ctx.logger,
    clock: ctx.clock,
    background: options.background,
    staleness: config.catalog.staleness,
    observe,
    onVectorsSwapped,
  });
}

/** REDIS_URL moves sessions, rate counters and revocation fan-out to Redis (decisions 0034–0036). */
async function buildAuth(ctx: AppContext): Promise<AuthServer> {
  const { auth } = ctx.config;
  const server = await createAuthServer(ctx.db, ctx.tokens, {
    issuer: ctx.config.publicUrl,
    clock: ctx.clock,
    localAccounts: auth.localAccounts,
    oidc: auth.oidc
      ? {
          ...auth.oidc,
          // Plain http only for a provider on this machine (development, tests).
          allowHttp: /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(auth.oidc.issuer),
        }
      : undefined,
    limits: auth.limits,
    // 0 turns polling off (only sensible with Redis pub/sub); tests use it to prove the pub/sub path.
    revocationRefreshMs: auth.revocationRefreshMs,
    redis: ctx.config.redisUrl
      ? {
          url: ctx.config.redisUrl,
          onError: (err) =>
            ctx.logger.warn(
              { err: err.message },
              'auth: Redis error; rate limits fall back to this process, sessions answer 503 until it returns',
            ),
        }
      : undefined,
  });
  ctx.onClose.push(() => server.close());
  if (auth.bootstrapAdmin) {
    const { email, password } = auth.bootstrapAdmin;
    const admin = await server.users.bootstrapAdmin(email, password);
    if (admin) ctx.logger.info({ userId: admin.id }, 'Created the first administrator from MG_ADMIN_EMAIL.');
  }
  return server;
}

/** Redis fan-out when REDIS_URL is set, in memory otherwise (decision 0041). */
async function buildSync(ctx: AppContext): Promise<SyncHub> {
  const bus = ctx.config.redisUrl
    ? await redisBus({
        url: ctx.config.redisUrl,
        // Redis pub/sub ignores the database number: two installations sharing one Redis would otherwise receive each
        // other's watchlists, presence and handoffs.
        channel: `${BUS_CHANNEL}:${await installationId(ctx.db)}`,
        onError: (err) =>
          ctx.logger.warn({ err: err.message }, 'sync bus (redis) error; serving local devices only until it returns'),
      })
    : memoryBus();
  const { presenceRefreshMs } = ctx.config.sync;
  const hub = new SyncHub({
    db: ctx.db,
    bus,
    logger: ctx.logger,
    ...(presenceRefreshMs !== undefined ? { presenceRefreshMs } : {}),
  });
  // Runs before the database closes (onClose runs last-registered first).
  ctx.onClose.push(() => hub.close());
  return hub;
}
