import type { Db } from '@media-gateway/db';
import { type Logger, noopLogger, type SourceRecord, SourceRecordSchema } from '@media-gateway/domain';
import { placeRecord } from '../resolve/place-record.ts';
import { resolveRecord } from '../resolve/resolver.ts';
import type { RowProblem, Source } from '../sources/source.ts';
import { loadOverrides, loadPreviousRecords, loadTitleIndex } from '../store/load-index.ts';
import { recordHash, titleIdFor } from '../store/ids.ts';
import { toStoredOffer, type StoredOffer } from '../store/offer-links.ts';
import { type RecordChange, writeBatch } from '../store/write-batch.ts';
import { finishRun, heartbeat, startRun } from './ingest-runs.ts';

export interface IngestCounts {
  rows: number;
  recordsCreated: number;
  recordsUpdated: number;
  unchanged: number;
  rejected: number;
  duplicates: number;
  problems: number;
  titlesCreated: number;
  titlesUpdated: number;
  mergedIntoExisting: number;
  offersAdded: number;
  offersRemoved: number;
  offersChanged: number;
}

export interface IngestSummary {
  runId: string;
  source: string;
  status: 'completed' | 'failed';
  /** Records created or updated: 0 on a re-run of the same input. */
  changes: number;
  counts: IngestCounts;
  /** The first problems (all are stored with the run). */
  problems: RowProblem[];
  seconds: number;
  error?: string;
}

export interface IngestOptions {
  db: Db;
  source: Source;
  mode?: string;
  logger?: Logger;
  signal?: AbortSignal;
  batchSize?: number;
  onProgress?: (p: { rows: number; done: number; total: number; counts: IngestCounts }) => void;
  /** Called as soon as the run is recorded (before the index loads), e.g. to answer 202 with its id. */
  onRunStarted?: (runId: string) => void;
  /**
   * When the source saw what it reports: a live source's fetch time, a file's `--as-of` date.
   * Absent or null: unknown, and the offers say "as of unknown" (issue 15).
   */
  seenAt?: Date | null;
}

const emptyCounts = (): IngestCounts => ({
  rows: 0,
  recordsCreated: 0,
  recordsUpdated: 0,
  unchanged: 0,
  rejected: 0,
  duplicates: 0,
  problems: 0,
  titlesCreated: 0,
  titlesUpdated: 0,
  mergedIntoExisting: 0,
  offersAdded: 0,
  offersRemoved: 0,
  offersChanged: 0,
});

/**
 * Runs one source through normalize → resolve → upsert. Streaming (one batch in memory),
 * idempotent (unchanged records are only marked seen), and safe to kill: each batch commits
 * atomically and titles get deterministic ids, so a re-run converges on the same state.
 */
export async function ingest(options: IngestOptions): Promise<IngestSummary> {
  const { db, source } = options;
  const log = (options.logger ?? noopLogger).child({ component: `ingest:${source.name}` });
  const batchSize = options.batchSize ?? 500;
  const started = performance.now();
  const counts = emptyCounts();
  const firstProblems: RowProblem[] = [];
  const runId = await startRun(db, source.name, options.mode ?? 'file');
  options.onRunStarted?.(runId);

  const index = await loadTitleIndex(db);
  const previous = await loadPreviousRecords(db, source.name);
  const overrides = await loadOverrides(db, source.name);
  const seenThisRun = new Set<string>();
  let changes: RecordChange[] = [];
  let unchangedKeys: string[] = [];
  let problems: RowProblem[] = [];
  let lastRow = 0;

  const flush = async () => {
    const batch = changes;
    const unchanged = unchangedKeys;
    const batchProblems = problems;
    changes = [];
    unchangedKeys = [];
    problems = [];
    await db.transaction(async (tx) => {
      const c = await writeBatch(
        tx,
        source.name,
        batch,
        unchanged,
        options.seenAt !== undefined ? options.seenAt : (source.seenAt ?? null),
      );
      counts.titlesCreated += c.titlesCreated;
      counts.titlesUpdated += c.titlesUpdated;
      counts.offersAdded += c.offersAdded;
      counts.offersRemoved += c.offersRemoved;
      counts.offersChanged += c.offersChanged;
      for (const p of batchProblems) {
        await tx.query(
          'INSERT INTO ingest_problems (run_id, file, row_no, field, reason) VALUES ($1, $2, $3, $4, $5)',
          [runId, p.file, p.row, p.field, p.reason],
        );
      }
    });
    await heartbeat(db, runId, counts, { row: lastRow });
  };

  const addProblems = (list: RowProblem[]) => {
    counts.problems += list.length;
    problems.push(...list);
    for (const p of list) if (firstProblems.length < 50) firstProblems.push(p);
  };

  try {
    for await (const item of source.read(options.signal ? { signal: options.signal } : {})) {
      counts.rows++;
      lastRow = item.row;
      addProblems(item.problems);
      if (!item.record) {
        counts.rejected++;
      } else {
        const parsed = SourceRecordSchema.safeParse({ ...item.record, source: source.name });
        if (!parsed.success) {
          counts.rejected++;
          addProblems(
            parsed.error.issues.map((i) => ({
              file: item.file,
              row: item.row,
              field: i.path.join('.') || '(record)',
              reason: i.message,
            })),
          );
        } else {
          handleRecord(parsed.data, item.file, item.row);
        }
      }
      if (changes.length + unchangedKeys.length >= batchSize) await flush();
      if (options.onProgress && item.progress && counts.rows % 200 === 0) {
        options.onProgress({ rows: counts.rows, done: item.progress.done, total: item.progress.total, counts });
      }
    }
    await flush();
    await finishRun(db, runId, 'completed', counts);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: error }, 'ingestion failed');
    await finishRun(db, runId, 'failed', counts, message).catch(() => {});
    return summary('failed', message);
  }
  return summary('completed');

  function handleRecord(record: SourceRecord, file: string, row: number): void {
    const key = record.sourceKey;
    if (seenThisRun.has(key)) {
      counts.duplicates++;
      addProblems([
        { file, row, field: 'key', reason: `duplicate key "${key}" in this input; the first row was kept` },
      ]);
      return;
    }
    seenThisRun.add(key);
    const offers: StoredOffer[] = [];
    for (const o of record.offers) {
      const stored = toStoredOffer(o, record);
      if ('error' in stored) addProblems([{ file, row, field: 'offers.platform', reason: stored.error }]);
      else offers.push(stored);
    }
    const hash = recordHash(record);
    const prev = previous.get(key);
    if (prev && prev.hash === hash && index.get(prev.titleId)) {
      counts.unchanged++;
      unchangedKeys.push(key);
      return;
    }
    const resolution = resolveRecord(record, index, { previousTitleId: prev?.titleId, override: overrides.get(key) });
    const { titleId, isNewTitle } = placeRecord(index, record, resolution, () => titleIdFor(source.name, key));
    if (resolution.titleId && (resolution.method === 'evidence' || resolution.method === 'external-id'))
      counts.mergedIntoExisting++;
    if (prev) counts.recordsUpdated++;
    else counts.recordsCreated++;
    previous.set(key, { titleId, hash });
    changes.push({ record, hash, titleId, isNewTitle, previousTitleId: prev?.titleId, resolution, offers });
  }

  function summary(status: 'completed' | 'failed', error?: string): IngestSummary {
    return {
      runId,
      source: source.name,
      status,
      changes: counts.recordsCreated + counts.recordsUpdated,
      counts,
      problems: firstProblems,
      seconds: Math.round((performance.now() - started) / 10) / 100,
      ...(error ? { error } : {}),
    };
  }
}
