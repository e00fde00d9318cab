import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type FileFormat, type IngestSummary, ingest, openFileSource, type Source } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { type Clock, DomainError, type Logger } from '@media-gateway/domain';
import type { UploadProgress } from '@media-gateway/domain/contracts';

/** Largest catalog file accepted by upload (50 MiB: the largest real catalog we ingest is ~12 MB). */
export const UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
/** The ingest_runs.mode of runs started by an upload. */
export const UPLOAD_MODE = 'upload';

export type { UploadProgress };

/** `../../My Netflix titles (1).csv` → `My_Netflix_titles_1_.csv`: a plain name inside our temp dir. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-120);
  return cleaned || 'upload';
}

/**
 * Streams a request body to `<fresh temp dir>/<name>`, refusing more than `maxBytes` (413). Past
 * the limit the rest of the body is read and discarded rather than the request destroyed, so the
 * client still gets the 413 answer (the route also closes the connection).
 */
export async function saveUpload(
  body: Readable,
  fileName: string,
  maxBytes: number,
): Promise<{ dir: string; path: string; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-upload-'));
  const path = join(dir, safeFileName(fileName));
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(path, { flags: 'wx' });
      const fail = (error: Error) => {
        body.removeAllListeners('data');
        body.on('data', () => {});
        body.resume();
        out.destroy();
        reject(error);
      };
      body.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) {
          fail(
            new DomainError(
              'PAYLOAD_TOO_LARGE',
              `The file is larger than ${maxBytes} bytes (${Math.round(maxBytes / 1048576)} MB), the upload limit.`,
              { limitBytes: maxBytes },
            ),
          );
        } else if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      });
      body.once('end', () => out.end());
      body.once('error', fail);
      out.once('error', fail);
      out.once('finish', resolve);
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  if (bytes === 0) {
    await rm(dir, { recursive: true, force: true });
    throw new DomainError('INVALID_INPUT', 'The upload is empty: send the catalog file as the request body.');
  }
  return { dir, path, bytes };
}

/**
 * An upload's progress as the database has it, for a replica that did not take the upload (behind a round-robin
 * balancer the dashboard's polls land anywhere). The bytes read are known only to the process ingesting the file,
 * so a running run shows its rows; a finished one shows all of it.
 */
export async function uploadRunFromDb(db: Db, runId: string): Promise<UploadProgress | undefined> {
  // Read only: the dashboard polls this twice a second, and a run between heartbeats is not dead (the runs listing
  // and the admin metrics mark stale runs).
  const { rows } = await db.query<{
    id: string;
    source: string;
    status: string;
    started_at: Date;
    finished_at: Date | null;
    counts: { rows?: number };
    error: string | null;
  }>('SELECT id, source, status, started_at, finished_at, counts, error FROM ingest_runs WHERE id = $1 AND mode = $2', [
    runId,
    UPLOAD_MODE,
  ]);
  const r = rows[0];
  if (!r) return undefined;
  const finished = r.status !== 'running';
  return {
    runId: r.id,
    source: r.source,
    fileName: r.source,
    bytes: 0,
    status: r.status === 'completed' ? 'completed' : r.status === 'running' ? 'running' : 'failed',
    done: finished ? 1 : 0,
    total: finished ? 1 : 0,
    rows: r.counts.rows ?? 0,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    error: r.error ?? (r.status === 'interrupted' ? 'the server ingesting it stopped before it finished' : null),
  };
}

/**
 * Runs uploaded files through the same pipeline as `media-gateway ingest`, one at a time per
 * process (ingestion is CPU- and write-heavy; a second upload gets a 409 with the running one).
 * Keeps the last few uploads' byte progress in memory for the dashboard's progress bar.
 */
export class UploadRunner {
  private current: { runId?: string; promise: Promise<unknown>; abort: AbortController } | undefined;
  private readonly recent = new Map<string, UploadProgress>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  get busyWith(): string | undefined {
    return this.current ? (this.current.runId ?? 'starting') : undefined;
  }

  progress(runId: string): UploadProgress | undefined {
    return this.recent.get(runId);
  }

  /**
   * Opens the saved file as a source (bad format or platform → 400, temp dir removed), starts the
   * pipeline in the background and resolves with the run id as soon as the run exists.
   */
  async start(
    file: { dir: string; path: string; bytes: number; fileName: string },
    options: { format?: FileFormat; platform?: string; region?: string; seenAt?: Date | null },
  ): Promise<UploadProgress> {
    const running = this.current;
    if (running) {
      await rm(file.dir, { recursive: true, force: true });
      throw new DomainError('CONFLICT', 'Another upload is being ingested; try again when it has finished.', {
        runId: running.runId ?? null,
      });
    }
    const abort = new AbortController();
    const slot: { runId?: string; promise: Promise<unknown>; abort: AbortController } = {
      promise: Promise.resolve(),
      abort,
    };
    this.current = slot;
    let source: Source;
    try {
      const { seenAt: _seenAt, ...fileOptions } = options;
      source = await openFileSource(file.path, {
        ...fileOptions,
        say: { file: `"${safeFileName(file.fileName)}"`, format: '?format=', platform: '?platform=' },
      });
    } catch (error) {
      this.current = undefined;
      await rm(file.dir, { recursive: true, force: true });
      throw error;
    }
    let runStarted!: (runId: string) => void;
    const started = new Promise<string>((resolve) => {
      runStarted = resolve;
    });
    const progress: UploadProgress = {
      runId: '',
      source: source.name,
      fileName: safeFileName(file.fileName),
      bytes: file.bytes,
      status: 'running',
      done: 0,
      total: file.bytes,
      rows: 0,
      startedAt: new Date(this.clock.now()).toISOString(),
      finishedAt: null,
      error: null,
    };
    const run = ingest({
      db: this.db,
      source,
      mode: UPLOAD_MODE,
      seenAt: options.seenAt ?? null,
      logger: this.logger,
      signal: abort.signal,
      onRunStarted: (id) => runStarted(id),
      onProgress: (p) => {
        progress.done = p.done;
        progress.total = p.total;
        progress.rows = p.rows;
      },
    });
    // The slot is freed in the same tick the outcome is known (before the temp dir is removed): once
    // the runs listing says "completed", the next upload is accepted rather than refused with a 409.
    const release = () => {
      if (this.current === slot) this.current = undefined;
    };
    slot.promise = run
      .then(
        (summary) => {
          release();
          this.finish(progress, summary);
        },
        (error: unknown) => {
          release();
          progress.status = 'failed';
          // The person sees the reason with our temp folder replaced by the name they uploaded.
          const message = error instanceof Error ? error.message : String(error);
          progress.error = message.split(file.dir).join('<upload>');
          progress.finishedAt = new Date(this.clock.now()).toISOString();
          this.logger.error({ err: error }, 'upload ingestion crashed');
        },
      )
      .finally(() => rm(file.dir, { recursive: true, force: true }).catch(() => {}));
    let failure: unknown;
    const runId = await Promise.race([
      started,
      run.then(
        (s) => s.runId,
        (error: unknown) => {
          failure = error;
          return undefined;
        },
      ),
    ]);
    // The pipeline failed before recording a run: its own error says why (a DomainError keeps its status).
    if (!runId) throw failure ?? new Error(`upload: the run for ${source.name} did not start`);
    slot.runId = runId;
    progress.runId = runId;
    this.remember(progress);
    return progress;
  }

  /** Stops a running upload (server shutdown) and waits for the pipeline to record it. */
  async close(): Promise<void> {
    const slot = this.current;
    if (!slot) return;
    slot.abort.abort();
    await slot.promise.catch(() => {});
  }

  private finish(progress: UploadProgress, summary: IngestSummary): void {
    progress.status = summary.status;
    progress.rows = summary.counts.rows;
    if (summary.status === 'completed') progress.done = progress.total;
    progress.error = summary.error ?? null;
    progress.finishedAt = new Date(this.clock.now()).toISOString();
    this.logger.info(
      { runId: summary.runId, source: summary.source, counts: summary.counts, seconds: summary.seconds },
      'upload ingested',
    );
  }

  private remember(p: UploadProgress): void {
    this.recent.set(p.runId, p);
    while (this.recent.size > 20) this.recent.delete(this.recent.keys().next().value as string);
  }
}
