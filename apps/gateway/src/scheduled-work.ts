import type { Logger } from '@media-gateway/domain';
import { startAlertWorker } from './alerts/alert-worker.ts';
import type { AppContext } from './context.ts';
import { startRetentionSweep } from './privacy/retention.ts';
import { startRecommendWorker } from './recommend-worker.ts';
import { startIngestionWorker } from './worker.ts';

export interface ScheduledWork {
  /** Stops the timers and waits for the batch in hand (an ingestion batch, a retrain) to finish. */
  stop(): Promise<void>;
}

/**
 * The work one process does for the whole deployment: live-source ingestion (hourly incremental,
 * daily full), recommendation retraining (daily or after large catalog changes) and the retention
 * sweep (daily), and availability alerts (every MG_ALERTS_TICK_SECONDS).
 * Started by the holder of the worker lease only (worker-lease.ts).
 */
export function startScheduledWork(ctx: AppContext, logger: Logger): ScheduledWork {
  const { config } = ctx;
  const ingestion = startIngestionWorker({
    db: ctx.db,
    settings: config.catalog,
    tickSeconds: config.workerTickSeconds,
    onRun: ctx.services.metrics.ingestRun,
    logger,
    clock: ctx.clock,
  });
  const retraining = startRecommendWorker({ db: ctx.db, settings: config.recommend, logger, clock: ctx.clock });
  const retention = startRetentionSweep({ db: ctx.db, clock: ctx.clock, logger, policy: config.retention });
  const alerts = startAlertWorker(ctx, logger);
  return {
    async stop() {
      await alerts.stop();
      retention.stop();
      await retraining.stop();
      await ingestion.stop();
    },
  };
}
