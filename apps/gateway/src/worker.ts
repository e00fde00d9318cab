import {
  type DueRun,
  dueRuns,
  LIVE_SOURCES,
  liveSourceStatuses,
  loadScheduleState,
  runLiveSource,
} from '@media-gateway/catalog';
import type { CatalogSettings } from '@media-gateway/catalog/settings';
import type { Db } from '@media-gateway/db';
import { type Clock, type Logger, systemClock } from '@media-gateway/domain';

export interface IngestionWorker {
  /** One scheduling pass: runs every due source (one at a time) and returns what it ran. */
  tick(): Promise<DueRun[]>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  db: Db;
  /** Regions, schedule and source keys (config.catalog). */
  settings: CatalogSettings;
  logger: Logger;
  /** Seconds between scheduling passes (MG_WORKER_TICK_SECONDS, default 60). */
  tickSeconds?: number;
  /** Start the timer (false in tests that call tick() themselves). */
  autoStart?: boolean;
  /** When runs are due; the system clock by default. */
  clock?: Clock;
  /** Told about every finished run (metrics). */
  onRun?: (source: string, counts: Record<string, number>, outcome: 'completed' | 'failed') => void;
}

/**
 * The ingestion worker role: every tick, runs each configured live source that is due (hourly
 * incremental, daily full by default; MG_INGEST_INCREMENTAL_MINUTES / MG_INGEST_FULL_MINUTES),
 * for each region in MG_INGEST_REGIONS (default US). Runs are sequential inside a worker; the
 * per-source database lock keeps two workers from running one source at once. Sources without a
 * key are logged once as "not configured — set X" and skipped.
 */
export function startIngestionWorker(options: WorkerOptions): IngestionWorker {
  const { db, settings, logger } = options;
  const env = settings.sourceKeys;
  const clock = options.clock ?? systemClock();
  const log = logger.child({ component: 'ingestion-worker' });
  const regions = settings.ingestRegions;
  const schedule = settings.schedule;
  const statuses = liveSourceStatuses(env);
  for (const s of statuses.filter((x) => !x.configured))
    log.info({ source: s.source }, `${s.source}: not configured — ${s.missing}; skipped`);
  const configured = statuses
    .filter((s) => s.configured)
    .map((s) => s.source)
    .filter((s) => LIVE_SOURCES.includes(s));
  const abort = new AbortController();
  let running: Promise<DueRun[]> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (): Promise<DueRun[]> => {
    const due = dueRuns({
      configured,
      regions,
      state: await loadScheduleState(db),
      now: new Date(clock.now()),
      schedule,
    });
    for (const run of due) {
      if (abort.signal.aborted) break;
      log.info({ ...run }, `ingest ${run.source}:${run.region} ${run.mode} (${run.reason})`);
      try {
        const r = await runLiveSource({
          db,
          source: run.source,
          region: run.region,
          mode: run.mode,
          env,
          logger,
          signal: abort.signal,
        });
        if (r.status === 'completed' || r.status === 'failed') {
          options.onRun?.(run.source, r.summary.counts as unknown as Record<string, number>, r.status);
          log.info(
            {
              source: run.source,
              region: run.region,
              status: r.status,
              counts: r.summary.counts,
              outcome: r.outcome,
              error: r.summary.error,
            },
            `${run.source}:${run.region} ${r.status}`,
          );
        } else if (r.status === 'busy' || r.status === 'not-configured') {
          log.info({ source: run.source }, r.message);
        }
      } catch (error) {
        log.error({ err: error, source: run.source }, 'ingestion run crashed');
      }
    }
    return due;
  };

  const tick = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  if (options.autoStart !== false && configured.length > 0) {
    const every = (options.tickSeconds ?? 60) * 1000;
    timer = setInterval(() => void tick().catch((e) => log.error({ err: e }, 'scheduling pass failed')), every);
    timer.unref();
    void tick().catch((e) => log.error({ err: e }, 'scheduling pass failed'));
  }

  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      abort.abort(new Error('worker stopping'));
      await running?.catch(() => {});
    },
  };
}
