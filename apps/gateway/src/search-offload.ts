import { availableParallelism, totalmem } from 'node:os';
import type { Db } from '@media-gateway/db';
import type { Clock, Logger } from '@media-gateway/domain';
import {
  type SearchRequest,
  type SearchService,
  SearchWorker,
  SearchWorkerGone,
  type VectorIndex,
  type WorkerSetup,
} from '@media-gateway/search';

/** A search's answer as JSON text (what the route sends and the read cache keeps), and which parser read it. */
export interface SearchAnswer {
  json: string;
  parser: string;
}

const GIB = 1024 ** 3;
/** Memory budgeted per search worker: a second copy of the search service (~650 MB at 30k titles) with room to grow. */
const MEMORY_PER_WORKER = 4 * GIB;

/**
 * How many search workers to run when `MG_SEARCH_WORKERS` is not set: one per core, at most 2 (decision 0124:
 * on 2 cores two workers answered 750–970 searches a second against one worker's 400–680), and none on one core,
 * where a worker only adds copying. One per 4 GiB of the memory the process may use (its cgroup limit in a
 * container), so copies of the index do not run a small machine out of memory: under 4 GiB the server answers
 * on its own thread.
 */
export function defaultSearchWorkers(machine: { cores: number; memoryBytes: number }): number {
  if (machine.cores < 2) return 0;
  return Math.min(2, machine.cores, Math.floor(machine.memoryBytes / MEMORY_PER_WORKER));
}

/** This machine's cores and the memory this process may use (the container's limit when there is one). */
export function thisMachine(): { cores: number; memoryBytes: number } {
  const total = totalmem();
  const limit = process.constrainedMemory?.() ?? 0;
  return { cores: availableParallelism(), memoryBytes: limit > 0 && limit < total ? limit : total };
}

/**
 * After a worker stopped by itself, how long before it is started again: one that keeps failing is not restarted
 * in a loop (searches are answered by the other workers or in-process meanwhile).
 */
const RESTART_AFTER_MS = 30_000;

/**
 * Where /api/search is answered (decision 0124): on search worker threads when any is up, so the server's thread
 * only parses requests and writes answers, and in-process otherwise (no workers configured, all still loading, or
 * gone). Once attached to the server's search service, workers start as soon as its index is ready and saved (each
 * loads that copy), not when searches arrive: one at a time (a load reads the catalog through the server's
 * database), the next when the last is up. Whenever the server swaps its index (a retrained model), all are
 * replaced, so all answer from the same model as the server.
 */
export class SearchOffload {
  private readonly workers: Array<SearchWorker | undefined>;
  private service: SearchService | undefined;
  /** The server's index the running workers loaded a copy of. */
  private startedFor: VectorIndex | undefined;
  /** Set while waiting to start again after a worker stopped by itself: no worker starts meanwhile. */
  private restartTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** How long after a worker stopped by itself the next one starts (tests shorten it). */
  restartAfterMs = RESTART_AFTER_MS;

  constructor(
    private readonly setup: WorkerSetup | undefined,
    size: number,
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly observe: (stage: string, seconds: number) => void,
  ) {
    this.workers = Array.from({ length: setup ? size : 0 }, () => undefined);
  }

  /** How many workers this runs when all are up (metrics). */
  get size(): number {
    return this.workers.length;
  }

  /** How many workers answer searches now (metrics, tests). */
  get workersUp(): number {
    return this.workers.filter((w) => w?.isUp).length;
  }

  /** The server's search service the workers copy; they start as soon as its index is ready. */
  attach(service: SearchService): void {
    if (this.service === service) return;
    this.service = service;
    this.keepUp();
  }

  /**
   * Brings the workers in line with the server's index: replaces them all when it changed, else starts the next
   * missing one. Called on attach, when the server swaps its index, and when a worker comes up or stops.
   */
  keepUp(): void {
    const service = this.service;
    if (this.closed || !service?.vectors || this.workers.length === 0) return;
    if (this.startedFor !== service.vectors) {
      // A new index on the server (loaded, or retrained): every worker loads it again.
      for (const w of this.workers) void w?.close();
      this.workers.fill(undefined);
      this.startedFor = service.vectors;
    }
    if (this.workers.some((w) => w && !w.isUp)) return; // one is loading
    if (this.restartTimer) return;
    const slot = this.workers.findIndex((w) => !w);
    if (slot < 0) return;
    const worker = new SearchWorker(this.setup!, this.db, this.logger);
    this.workers[slot] = worker;
    // A failed load also ends in `gone`, which frees the slot.
    worker.ready.then(
      () => this.keepUp(),
      () => {},
    );
    worker.gone.then(() => this.stopped(worker));
  }

  async answer(service: SearchService, req: SearchRequest): Promise<SearchAnswer> {
    this.attach(service);
    const worker = this.pick();
    if (worker) {
      try {
        const answer = await worker.answer(req, { seq: service.catalog.lastSeq, now: this.clock.now() });
        for (const [stage, seconds] of answer.stages) this.observe(stage, seconds);
        return answer;
      } catch (error) {
        // The worker went away mid-search: this one is answered here, the next ones by the others or here.
        if (!(error instanceof SearchWorkerGone)) throw error;
      }
    }
    const res = await service.search(req);
    return { json: JSON.stringify(res), parser: res.understood.parser };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    const running = this.workers.splice(0, this.workers.length, ...this.workers.map(() => undefined));
    await Promise.all(running.map((w) => w?.close()));
  }

  /** The least busy worker that is up; undefined when none is (the index changed, or all are loading or gone). */
  private pick(): SearchWorker | undefined {
    if (this.startedFor !== this.service?.vectors) this.keepUp();
    let best: SearchWorker | undefined;
    for (const w of this.workers) if (w?.isUp && (!best || w.inFlight < best.inFlight)) best = w;
    return best;
  }

  /**
   * A worker stopped by itself (crashed, failed to load): its slot is freed, and the next start waits a while, so
   * one that keeps failing is not restarted in a loop. Searches are answered by the others or in-process meanwhile.
   */
  private stopped(worker: SearchWorker): void {
    const slot = this.workers.indexOf(worker);
    if (slot < 0 || this.closed) return; // replaced or closed by us
    this.workers[slot] = undefined;
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.keepUp();
    }, this.restartAfterMs);
    this.restartTimer.unref();
  }
}
