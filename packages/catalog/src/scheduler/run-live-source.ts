import type { Db } from '@media-gateway/db';
import { DomainError, type Logger, noopLogger, isRegion } from '@media-gateway/domain';
import { type IngestSummary, ingest } from '../pipeline/ingest.ts';
import { type LiveOutcome, type LiveSourceName, liveSourceConfig } from '../sources/live-sources.ts';
import { createLiveSource, type LiveSourceDeps } from './create-live-source.ts';
import { closeUnseenOffers, reopenSeenOffers } from './offer-lifecycle.ts';
import { acquireSourceLock, HOLDER, heartbeatSourceLock, releaseSourceLock, sourceLockHolder } from './source-lock.ts';
import { beginSweep, finishSweep, recordPage } from './sweep-state.ts';
import { youtubeAnchorsFromCatalog } from './youtube-anchors.ts';

export interface LiveRunRequest {
  db: Db;
  source: LiveSourceName;
  region: string;
  mode: 'full' | 'incremental';
  env: Readonly<Record<string, string | undefined>>;
  deps?: LiveSourceDeps;
  logger?: Logger;
  signal?: AbortSignal;
  batchSize?: number;
  maxPages?: number;
  /** Lock holder id (default pid@host); tests use distinct ids to simulate two workers. */
  holder?: string;
}

export type LiveRunResult =
  | { status: 'not-configured'; source: LiveSourceName; message: string }
  | { status: 'busy'; source: LiveSourceName; message: string }
  | {
      status: 'completed' | 'failed';
      source: LiveSourceName;
      summary: IngestSummary;
      outcome: LiveOutcome;
      resumedFromRow?: number;
      offersClosed: number;
      offersReopened: number;
      http: Record<string, number>;
    };

/**
 * One run of a live source for one region: lock → begin or resume the sweep → pipeline
 * (map → resolve → upsert) → availability lifecycle → unlock. A missing key is reported, never
 * replaced by mock data; a source already running elsewhere is reported as busy.
 */
export async function runLiveSource(req: LiveRunRequest): Promise<LiveRunResult> {
  const { db, source } = req;
  const region = req.region.toUpperCase();
  if (!isRegion(region))
    throw new DomainError('INVALID_INPUT', `region must be two letters (ISO 3166-1 alpha-2), got "${req.region}"`);
  const config = liveSourceConfig(source, req.env);
  if ('missing' in config)
    return { status: 'not-configured', source, message: `${source}: not configured — ${config.missing}` };
  const holder = req.holder ?? HOLDER;
  const log = (req.logger ?? noopLogger).child({ component: `live:${source}` });
  if (!(await acquireSourceLock(db, source, holder))) {
    return {
      status: 'busy',
      source,
      message: `${source}: a run is already in progress (${await sourceLockHolder(db, source)}); skipped`,
    };
  }
  const beat = setInterval(() => heartbeatSourceLock(db, source, holder).catch(() => {}), 10_000);
  beat.unref();
  try {
    const name = `${source}:${region}`;
    // We hold the lock, so any run of this source still marked running died without finishing.
    await db.query(
      `UPDATE ingest_runs SET status = 'interrupted', finished_at = heartbeat_at ` +
        `WHERE source = $1 AND status = 'running'`,
      [name],
    );
    const sweep = await beginSweep(db, name, req.mode);
    const since = req.mode === 'incremental' ? await lastCompleted(db, name) : undefined;
    const anchors =
      source === 'youtube' && !req.deps?.youtubeAnchors ? await youtubeAnchorsFromCatalog(db, region) : undefined;
    const live = createLiveSource(
      config,
      {
        region,
        mode: req.mode,
        startedAt: sweep.startedAt,
        ...(since ? { since } : {}),
        ...(sweep.resume ? { resume: sweep.resume } : {}),
        ...(req.maxPages !== undefined ? { maxPages: req.maxPages } : {}),
        onPage: (p) => recordPage(db, name, req.mode, p.firstRow, p.cursor),
      },
      { ...(req.deps ?? {}), ...(anchors ? { youtubeAnchors: anchors } : {}) },
    );
    const summary = await ingest({
      db,
      source: live,
      mode: req.mode,
      // The source reported this during the run: that is when it saw it.
      seenAt: sweep.startedAt,
      logger: log,
      batchSize: req.batchSize ?? 100,
      ...(req.signal ? { signal: req.signal } : {}),
    });
    let offersClosed = 0;
    let offersReopened = 0;
    if (summary.status === 'completed') {
      offersReopened = await reopenSeenOffers(db, name);
      if (live.outcome.complete && req.mode === 'full')
        offersClosed = await closeUnseenOffers(db, name, sweep.startedAt);
      // A quota stop keeps the sweep open so the next run resumes where this one stopped.
      if (live.outcome.stopped !== 'quota') await finishSweep(db, name, req.mode);
    }
    if (live.outcome.message) log.warn({ outcome: live.outcome }, live.outcome.message);
    return {
      status: summary.status,
      source,
      summary,
      outcome: live.outcome,
      offersClosed,
      offersReopened,
      ...(sweep.resume ? { resumedFromRow: sweep.resume.firstRow } : {}),
      http: { ...live.http.stats },
    };
  } finally {
    clearInterval(beat);
    await releaseSourceLock(db, source, holder).catch(() => {});
  }
}

async function lastCompleted(db: Db, name: string): Promise<Date | undefined> {
  const res = await db.query<{ started_at: Date }>(
    `SELECT started_at FROM ingest_runs WHERE source = $1 AND status = 'completed' ORDER BY started_at DESC LIMIT 1`,
    [name],
  );
  return res.rows[0]?.started_at;
}
