import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GatewayHandle, gateway } from './gateway.ts';
import { type HaproxyHandle, startHaproxy } from './haproxy.ts';
import { type PostgresHandle, startPostgres } from './postgres.ts';
import { freePort, waitUntil } from './procs.ts';
import { type RedisHandle, startRedis } from './redis.ts';

export interface ClusterOptions {
  /** API replicas (default 3). */
  replicas?: number;
  /** The cluster's own redis-server (default 6390); never the machine's shared one. */
  redisPort?: number;
  /** Database name (default a unique `mg_cluster_…`), created here and dropped by stop(). */
  pgDatabase?: string;
  /** `machine`: the machine's server (DATABASE_URL or postgres@127.0.0.1:5432); `private`: a throw-away server. */
  postgres?: 'machine' | 'private';
  /** HAProxy's port (default 8080). */
  haproxyPort?: number;
  /** Extra environment for every gateway process. */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export interface Cluster {
  /** Through HAProxy. */
  url: string;
  wsUrl: string;
  publicUrl: string;
  databaseUrl: string;
  redisUrl: string;
  replicas: GatewayHandle[];
  worker: GatewayHandle;
  haproxy: HaproxyHandle;
  redis: RedisHandle;
  postgres: PostgresHandle;
  pids(): Record<string, number | undefined>;
  killReplica(i: number): Promise<void>;
  /** Starts replica i again (same port) and waits until HAProxy has it back in rotation. */
  restartReplica(i: number): Promise<void>;
  /** SIGTERM (graceful drain), wait for the exit, start again, wait until HAProxy has it UP. */
  /** SIGTERM, wait for the drain, start again; a non-zero exit carries the end of what the process wrote. */
  rollReplica(i: number): Promise<{ exitCode: number | null; output?: string }>;
  freezeReplica(i: number): void;
  thawReplica(i: number): void;
  restartRedis(outageMs?: number): Promise<void>;
  restartPostgres(): Promise<void>;
  /** Stops everything this cluster started, by pid, and drops its database. */
  stop(): Promise<void>;
}

const running = new Set<() => Promise<void>>();

/** Stops every cluster this process started and has not stopped yet (for signal handlers). */
export async function stopAllClusters(): Promise<void> {
  await Promise.all([...running].map((stop) => stop()));
}

/**
 * PostgreSQL (its own database), a private Redis, N `--role api` gateways, one `--role worker`
 * (it loads the sample catalog) and HAProxy in front. Resolves once the catalog is loaded and
 * every replica serves search from it.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const n = options.replicas ?? 3;
  const haproxyPort = options.haproxyPort ?? 8080;
  const publicUrl = `http://127.0.0.1:${haproxyPort}`;
  const dir = await mkdtemp(join(tmpdir(), 'mg-cluster-'));
  const started: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    running.delete(cleanup);
    for (const stop of started.reverse()) await stop().catch((e) => log(`cleanup: ${(e as Error).message}`));
    await rm(dir, { recursive: true, force: true });
  };
  running.add(cleanup);
  try {
    const postgres = await startPostgres({
      mode: options.postgres ?? 'machine',
      database: options.pgDatabase,
      port: options.postgres === 'private' ? await freePort() : undefined,
    });
    started.push(() => postgres.stop());
    log(`postgres (${postgres.mode}): ${postgres.databaseUrl}`);
    const redis = await startRedis(options.redisPort ?? 6390);
    started.push(() => redis.stop());
    log(`redis: ${redis.url} (pid ${redis.pid()})`);

    const common: Record<string, string> = {
      DATABASE_URL: postgres.databaseUrl,
      REDIS_URL: redis.url,
      MG_PUBLIC_URL: publicUrl,
      LOG_LEVEL: 'warn',
      MG_DRAIN_DELAY_SECONDS: '2',
      ...options.env,
    };
    // The worker first: it runs the migrations and loads the sample catalog into the empty database.
    const worker = gateway({
      name: 'worker',
      role: 'worker',
      port: await freePort(),
      env: { ...common, MG_SAMPLE_CATALOG: 'auto' },
    });
    started.push(async () => void (await worker.stop('SIGTERM')));
    await worker.start();
    log(`worker: ${worker.url} (pid ${worker.pid()})`);
    const replicas: GatewayHandle[] = [];
    for (let i = 0; i < n; i++) {
      replicas.push(
        gateway({
          name: `api${i + 1}`,
          role: 'api',
          port: await freePort(),
          env: { ...common, MG_SAMPLE_CATALOG: 'off' },
        }),
      );
    }
    started.push(async () => {
      await Promise.all(replicas.map((r) => r.stop('SIGTERM')));
    });
    await Promise.all(replicas.map((r) => r.start()));
    log(`api replicas: ${replicas.map((r) => `${r.url} (pid ${r.pid()})`).join(', ')}`);

    // The catalog is in (one ingest transaction), and every replica's search index has caught up.
    await waitUntil(
      async () => {
        const res = await fetch(`${replicas[0]!.url}/readyz`);
        return res.ok && ((await res.json()) as { titles: number }).titles > 0;
      },
      'the worker to load the sample catalog',
      120_000,
      250,
    );
    for (const r of replicas) {
      await waitUntil(
        async () => {
          const res = await fetch(`${r.url}/api/search`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: 'space adventure' }),
          });
          return res.ok && ((await res.json()) as { results?: unknown[] }).results!.length > 0;
        },
        `${r.name} to serve search from the catalog`,
        120_000,
        250,
      );
    }

    const haproxy = await startHaproxy(
      dir,
      haproxyPort,
      replicas.map((r) => ({ name: r.name, port: r.port })),
    );
    started.push(() => haproxy.stop());
    for (const r of replicas) await haproxy.waitState(r.name, 'UP');
    log(`haproxy: ${haproxy.url} (pid ${haproxy.pid()}, config ${haproxy.configPath})`);

    const restartReplica = async (i: number) => {
      const r = replicas[i]!;
      await r.start();
      await haproxy.waitState(r.name, 'UP');
    };
    let stopped = false;
    return {
      url: haproxy.url,
      wsUrl: `${haproxy.url.replace(/^http/, 'ws')}/sync`,
      publicUrl,
      databaseUrl: postgres.databaseUrl,
      redisUrl: redis.url,
      replicas,
      worker,
      haproxy,
      redis,
      postgres,
      pids: () => ({
        postgres: postgres.pid(),
        redis: redis.pid(),
        haproxy: haproxy.pid(),
        worker: worker.pid(),
        ...Object.fromEntries(replicas.map((r) => [r.name, r.pid()])),
      }),
      killReplica: async (i) => {
        await replicas[i]!.stop('SIGKILL');
      },
      restartReplica,
      rollReplica: async (i) => {
        const exitCode = await replicas[i]!.stop('SIGTERM', 30_000);
        const output = exitCode === 0 ? undefined : replicas[i]!.output().slice(-1_500);
        await restartReplica(i);
        return { exitCode, ...(output === undefined ? {} : { output }) };
      },
      freezeReplica: (i) => replicas[i]!.signal('SIGSTOP'),
      thawReplica: (i) => replicas[i]!.signal('SIGCONT'),
      restartRedis: (outageMs) => redis.restart(outageMs),
      restartPostgres: () => postgres.restart(),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
