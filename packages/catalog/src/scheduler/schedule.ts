import type { Queryable } from '@media-gateway/db';
import { markStaleRunsInterrupted } from '../pipeline/ingest-runs.ts';
import { DEFAULT_SCHEDULE, LIVE_SOURCES, type LiveSourceName } from '../sources/live-sources.ts';

export interface DueRun {
  source: LiveSourceName;
  region: string;
  mode: 'full' | 'incremental';
  reason: string;
}

export interface ScheduleState {
  /** Latest run per `source:REGION|mode`. */
  last: Map<string, { startedAt: Date; status: string }>;
  /** Latest completed run per `source:REGION|mode`. */
  lastCompleted: Map<string, Date>;
  /** Sweeps left in progress (interrupted, failed or quota-stopped), as `source:REGION|mode`. */
  inProgress: Set<string>;
}

/** After a failed run, wait this long before trying the source again (the breaker already failed fast). */
export const FAILED_RETRY_MINUTES = 10;

/**
 * Which runs are due now. Per configured source and region: an unfinished sweep resumes first;
 * a full sweep is due when the last one is older than the full interval and an incremental run
 * has completed (so a new install gets fresh data quickly before the long sweep); otherwise an
 * incremental run when the last one is older than its interval. Pure, so it is tested directly.
 */
export function dueRuns(input: {
  configured: readonly LiveSourceName[];
  regions: readonly string[];
  state: ScheduleState;
  now: Date;
  schedule?: { incrementalEveryMinutes: number; fullEveryMinutes: number };
}): DueRun[] {
  const schedule = input.schedule ?? DEFAULT_SCHEDULE;
  const now = input.now.getTime();
  const ago = (d: Date | undefined) => (d ? (now - d.getTime()) / 60_000 : Number.POSITIVE_INFINITY);
  const out: DueRun[] = [];
  for (const source of input.configured) {
    for (const region of input.regions) {
      const name = `${source}:${region}`;
      const key = (mode: string) => `${name}|${mode}`;
      const backingOff = (mode: string) => {
        const last = input.state.last.get(key(mode));
        return last?.status === 'failed' && ago(last.startedAt) < FAILED_RETRY_MINUTES;
      };
      const resume = (['full', 'incremental'] as const).find(
        (m) =>
          input.state.inProgress.has(key(m)) && !backingOff(m) && input.state.last.get(key(m))?.status !== 'running',
      );
      if (resume) {
        out.push({ source, region, mode: resume, reason: 'resume the unfinished sweep' });
        continue;
      }
      const lastInc = input.state.lastCompleted.get(key('incremental'));
      const lastFull = input.state.lastCompleted.get(key('full'));
      if (lastInc && ago(lastFull) >= schedule.fullEveryMinutes && !backingOff('full')) {
        out.push({
          source,
          region,
          mode: 'full',
          reason: lastFull ? `last full sweep ${Math.round(ago(lastFull))} min ago` : 'no full sweep yet',
        });
      } else if (ago(lastInc) >= schedule.incrementalEveryMinutes && !backingOff('incremental')) {
        out.push({
          source,
          region,
          mode: 'incremental',
          reason: lastInc ? `last incremental run ${Math.round(ago(lastInc))} min ago` : 'never run',
        });
      }
    }
  }
  return out;
}

export async function loadScheduleState(db: Queryable): Promise<ScheduleState> {
  await markStaleRunsInterrupted(db);
  const prefixes = LIVE_SOURCES.map((s) => `${s}:%`);
  const runs = await db.query<{ source: string; mode: string; status: string; started_at: Date }>(
    `SELECT DISTINCT ON (source, mode) source, mode, status, started_at FROM ingest_runs
     WHERE source LIKE ANY($1) AND mode IN ('full', 'incremental') ORDER BY source, mode, started_at DESC`,
    [prefixes],
  );
  const done = await db.query<{ source: string; mode: string; at: Date }>(
    `SELECT source, mode, max(started_at) AS at FROM ingest_runs
     WHERE source LIKE ANY($1) AND status = 'completed' AND mode IN ('full', 'incremental') GROUP BY source, mode`,
    [prefixes],
  );
  const sweeps = await db.query<{ source: string; mode: string }>(
    `SELECT source, mode FROM ingest_sweeps WHERE status = 'in_progress'`,
  );
  return {
    last: new Map(runs.rows.map((r) => [`${r.source}|${r.mode}`, { startedAt: r.started_at, status: r.status }])),
    lastCompleted: new Map(done.rows.map((r) => [`${r.source}|${r.mode}`, r.at])),
    inProgress: new Set(sweeps.rows.map((r) => `${r.source}|${r.mode}`)),
  };
}

export interface IngestionRunView {
  id: string;
  source: string;
  mode: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  counts: Record<string, number>;
  error: string | null;
  problemCount: number;
}

/** Run history for the admin API, newest first, optionally for one source (all its regions). */
export async function listIngestionRuns(
  db: Queryable,
  options: { source?: string; limit?: number } = {},
): Promise<IngestionRunView[]> {
  await markStaleRunsInterrupted(db);
  const rows = await db.query<{
    id: string;
    source: string;
    mode: string;
    status: string;
    started_at: Date;
    finished_at: Date | null;
    counts: Record<string, number>;
    error: string | null;
    problems: number;
  }>(
    `SELECT r.id, r.source, r.mode, r.status, r.started_at, r.finished_at, r.counts, r.error,
            (SELECT count(*)::int FROM ingest_problems p WHERE p.run_id = r.id) AS problems
     FROM ingest_runs r WHERE ($1::text IS NULL OR r.source = $1 OR r.source LIKE $1 || ':%')
     ORDER BY r.started_at DESC LIMIT $2`,
    [options.source ?? null, options.limit ?? 50],
  );
  return rows.rows.map((r) => ({
    id: r.id,
    source: r.source,
    mode: r.mode,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    counts: r.counts,
    error: r.error,
    problemCount: r.problems,
  }));
}
