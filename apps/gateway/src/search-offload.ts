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

/**
 * After a worker stopped by itself, how long before it is started again: one that keeps failing is not restarted
 * in a loop (searches are answered by the other workers or in-process meanwhile).
 */
const RESTART_AFTER_MS = 30_000;

/**
 * Where /api/search is answered (decision 0124): on search worker threads when any is up, so the server's thread
 * only parses requests and writes answers, and in-process otherwise (no workers configured, all still loading, or
 * gone). Workers start once the server's own index is ready and saved (each loads that copy), one at a time (a
 * load reads the catalog through the server's database), and again whenever the server swaps its index (a
 * retrained model), so all answer from the same model as the server.
 */
export class SearchOffload {
  private readonly workers: Array<SearchWorker | undefined>;
  /** The server's index the running workers loaded a copy of. */
  private startedFor: VectorIndex | undefined;
  private stoppedAt = Number.NEGATIVE_INFINITY;

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

  /** How many workers answer searches now (metrics, tests). */
  get workersUp(): number {
    return this.workers.filter((w) => w?.isUp).length;
  }

  async answer(service: SearchService, req: SearchRequest): Promise<SearchAnswer> {
    const worker = this.pick(service);
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
    const running = this.workers.splice(0, this.workers.length, ...this.workers.map(() => undefined));
    await Promise.all(running.map((w) => w?.close()));
  }

  /** The least busy worker that is up, after starting or replacing one when due; undefined when none is up. */
  private pick(service: SearchService): SearchWorker | undefined {
    if (this.workers.length === 0 || !service.vectors) return undefined;
    if (this.startedFor !== service.vectors) {
      // A new index on the server (loaded, or retrained): every worker loads it again.
      for (const w of this.workers) void w?.close();
      this.workers.fill(undefined);
      this.startedFor = service.vectors;
    }
    this.startOneIfDue();
    let best: SearchWorker | undefined;
    for (const w of this.workers) if (w?.isUp && (!best || w.inFlight < best.inFlight)) best = w;
    return best;
  }

  private startOneIfDue(): void {
    if (this.workers.some((w) => w && !w.isUp && !w.stopped)) return; // one is loading
    for (const w of this.workers) if (w?.stopped) this.stoppedAt = Math.max(this.stoppedAt, w.stoppedAt);
    const empty = this.workers.findIndex((w) => !w);
    const slot = empty >= 0 ? empty : this.workers.findIndex((w) => w?.stopped);
    if (slot < 0) return;
    if (empty < 0 && performance.now() - this.stoppedAt < RESTART_AFTER_MS) return;
    this.workers[slot] = new SearchWorker(this.setup!, this.db, this.logger);
  }
}
