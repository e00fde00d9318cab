import type { Db } from '@media-gateway/db';
import type { RecommendSettings } from '@media-gateway/recommend/settings';
import { type Clock, type Logger, systemClock } from '@media-gateway/domain';
import { TrendStore, trainAndStore } from '@media-gateway/recommend';

/** When the recommendation base model is retrained (MG_RECS_RETRAIN_HOURS, MG_RECS_RETRAIN_CATALOG_CHANGES). */
export interface RetrainPolicy {
  /** Retrain at least this often. */
  everyHours: number;
  /** …and as soon as the catalog feed moved this many events past the model's catalog position. */
  catalogChanges: number;
}

export interface RetrainState {
  /** When the newest model was trained, or undefined when there is none. */
  trainedAt: number | undefined;
  /** catalog_events position the newest model saw. */
  modelCatalogSeq: number;
  /** catalog_events position now. */
  catalogSeq: number;
}

/** Why a retrain is due now, or undefined. Pure, so the schedule is tested without timers. */
export function retrainReason(state: RetrainState, now: number, policy: RetrainPolicy): string | undefined {
  if (state.trainedAt === undefined) return 'no model yet';
  if (now - state.trainedAt >= policy.everyHours * 3_600_000) return `older than ${policy.everyHours} h`;
  const moved = state.catalogSeq - state.modelCatalogSeq;
  if (moved >= policy.catalogChanges) return `catalog changed by ${moved} events`;
  return undefined;
}

export async function loadRetrainState(db: Db): Promise<RetrainState> {
  const { rows } = await db.query<{ created_at: Date | null; model_seq: number | null; seq: number }>(
    `SELECT (SELECT created_at FROM rec_models ORDER BY created_at DESC, id DESC LIMIT 1) AS created_at,
            (SELECT catalog_seq::int FROM rec_models ORDER BY created_at DESC, id DESC LIMIT 1) AS model_seq,
            (SELECT coalesce(max(seq), 0)::int FROM catalog_events) AS seq`,
  );
  const r = rows[0]!;
  return { trainedAt: r.created_at?.getTime(), modelCatalogSeq: r.model_seq ?? 0, catalogSeq: r.seq };
}

export interface RecommendWorker {
  /** One check: retrains when due; returns the reason it retrained, or undefined. */
  tick(): Promise<string | undefined>;
  stop(): Promise<void>;
}

/**
 * The retraining job of the worker role (separate from the ingestion worker in worker.ts, which
 * another feature owns): every MG_RECS_CHECK_MINUTES (default 10) it retrains the EASE base model
 * when it is a day old or the catalog moved a lot, and prunes trend rows that decayed to nothing.
 * Serving replicas pick the new model up on their next freshness check (within a second).
 * Training runs on this process's event loop; in the all-in-one role that pauses requests for the
 * few seconds a retrain takes, which is why large installs run a separate worker role.
 */
export function startRecommendWorker(options: {
  db: Db;
  /** Retrain policy and check period (config.recommend). */
  settings: RecommendSettings;
  logger: Logger;
  autoStart?: boolean;
  clock?: Clock;
}): RecommendWorker {
  const { db, settings } = options;
  const clock = options.clock ?? systemClock();
  const log = options.logger.child({ component: 'recommend-worker' });
  const policy: RetrainPolicy = {
    everyHours: settings.retrainEveryHours,
    catalogChanges: settings.retrainAfterCatalogChanges,
  };
  let running: Promise<string | undefined> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (): Promise<string | undefined> => {
    const reason = retrainReason(await loadRetrainState(db), clock.now(), policy);
    if (!reason) return undefined;
    const stats = await trainAndStore(db);
    const pruned = await TrendStore.prune(db, clock.now());
    log.info({ ...stats, prunedTrends: pruned, reason }, `recommendation model ${stats.id} trained (${reason})`);
    return reason;
  };
  const tick = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  if (options.autoStart !== false) {
    timer = setInterval(
      () => void tick().catch((e) => log.error({ err: e }, 'recommendation retrain failed')),
      settings.checkEveryMinutes * 60_000,
    );
    timer.unref();
  }
  return {
    tick,
    async stop() {
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
