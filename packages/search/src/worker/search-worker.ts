import type { Worker } from 'node:worker_threads';
import type { Queryable } from '@media-gateway/db';
import type { Logger } from '@media-gateway/domain';
import type { PersonalRanking } from '../retrieve/personal.ts';
import type { SearchRequest } from '../search-service.ts';
import { errorShape, rebuildError } from './protocol.ts';
import type { HostMessage, StageTiming, WorkerCall, WorkerMessage, WorkerSetup } from './protocol.ts';
import { startTsWorker } from './ts-worker.ts';

export type { WorkerSetup } from './protocol.ts';

/** A search answered on the worker thread: the response as JSON text, and how long each stage took there. */
export interface WorkerAnswer {
  json: string;
  parser: string;
  stages: StageTiming[];
}

/** The worker stopped (crashed, failed to load, or closed) before it answered: ask the in-process service. */
export class SearchWorkerGone extends Error {
  override name = 'SearchWorkerGone';
}

const CLOSED = 'it was closed';

interface Job {
  resolve(answer: WorkerAnswer): void;
  reject(error: Error): void;
  personal: PersonalRanking | undefined;
}

/**
 * The server's side of the search worker thread (decision 0124): starts it, answers its database queries and
 * taste lookups, and hands it searches. Any failure of the worker rejects with `SearchWorkerGone`, so the
 * caller answers in-process instead; the worker is never the only way to an answer.
 */
export class SearchWorker {
  readonly ready: Promise<void>;
  /** Resolves when the worker stops, for whatever reason (see `stopped`). */
  readonly gone: Promise<void>;
  private readonly worker: Worker;
  private markGone!: () => void;
  private readonly jobs = new Map<number, Job>();
  private lastJob = 0;
  private up = false;
  private goneReason: string | undefined;

  constructor(
    setup: WorkerSetup,
    private readonly db: Queryable,
    private readonly logger: Logger,
  ) {
    this.worker = startTsWorker(new URL('./worker-thread.ts', import.meta.url), setup, { usearch: true });
    // A server closing while the worker loads is not kept alive by it.
    this.worker.unref();
    this.gone = new Promise((resolve) => {
      this.markGone = resolve;
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          this.up = true;
          this.logger.info({ titles: m.titles }, 'search worker thread ready');
          resolve();
        } else if (m.type === 'failed') {
          this.stop(`it failed to load: ${m.error}`);
          reject(new SearchWorkerGone(this.goneReason));
        } else this.onMessage(m);
      });
      this.worker.on('error', (error) => {
        this.stop(`it crashed: ${error.message}`);
        reject(new SearchWorkerGone(this.goneReason));
      });
      this.worker.on('exit', (code) => {
        this.stop(`it exited with code ${code}`);
        reject(new SearchWorkerGone(this.goneReason));
      });
    });
    // Failures are reported by `stop`; a caller that never waits on `ready` must not see an unhandled rejection.
    this.ready.catch(() => {});
  }

  /** True once the worker has loaded its copy of the service, until it stops. */
  get isUp(): boolean {
    return this.up && this.goneReason === undefined;
  }

  /** Searches sent and not yet answered (the caller sends the next one to the least busy worker). */
  get inFlight(): number {
    return this.jobs.size;
  }

  /** True once it stopped (crashed, failed to load, or closed): it answers nothing more. */
  get stopped(): boolean {
    return this.goneReason !== undefined;
  }

  /**
   * Answers a search on the worker thread. `seq` is the caller's catalog position (the worker catches up to it
   * first) and `now` its clock. Errors of the search itself (bad cursor, ...) come back as they were thrown.
   */
  answer(req: SearchRequest, at: { seq: number; now: number }): Promise<WorkerAnswer> {
    if (!this.isUp)
      return Promise.reject(new SearchWorkerGone(this.goneReason ?? 'the search worker is still loading'));
    const id = ++this.lastJob;
    const { personal, ...plain } = req;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject, personal });
      this.post({ type: 'search', id, req: plain, personalWeight: personal?.weight, seq: at.seq, now: at.now });
    });
  }

  async close(): Promise<void> {
    this.stop(CLOSED);
    await this.worker.terminate();
  }

  private post(m: HostMessage): void {
    this.worker.postMessage(m);
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'log') this.logger[m.level](m.obj, m.msg);
    else if (m.type === 'call') void this.onCall(m);
    else if (m.type === 'answer') {
      const job = this.jobs.get(m.id);
      if (!job) return;
      this.jobs.delete(m.id);
      if ('error' in m) job.reject(rebuildError(m.error));
      else job.resolve({ json: m.json, parser: m.parser, stages: m.stages });
    }
  }

  private async onCall(m: WorkerCall): Promise<void> {
    try {
      let value: unknown;
      if (m.kind === 'query') value = await this.db.query(m.sql, m.params);
      else {
        const personal = this.jobs.get(m.search)?.personal;
        value = personal ? [...(await personal.affinity(m.ids))] : [];
      }
      this.post({ type: 'reply', id: m.id, value });
    } catch (error) {
      this.post({ type: 'reply', id: m.id, error: errorShape(error) });
    }
  }

  /** Rejects what is in flight (the caller retries in-process) and refuses new work. */
  private stop(reason: string): void {
    if (this.goneReason !== undefined) return;
    this.goneReason = `the search worker stopped: ${reason}`;
    this.markGone();
    if (reason !== CLOSED) this.logger.warn({ reason }, 'search worker thread stopped');
    for (const job of this.jobs.values()) job.reject(new SearchWorkerGone(this.goneReason));
    this.jobs.clear();
  }
}
