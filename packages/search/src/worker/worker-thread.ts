/**
 * The search worker thread (decision 0124): its own copy of the search service, loaded from the index the
 * server saved, answering searches as JSON text so the server's thread only parses requests and writes
 * answers. The database stays on the server's thread: every query is asked for there (PGlite has one
 * connection per process), and so is a signed-in person's taste.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { Db, QueryResult } from '@media-gateway/db';
import type { Logger } from '@media-gateway/domain';
import { createSearchService } from '../search-service.ts';
import { errorShape, rebuildError } from './protocol.ts';
import type { HostMessage, SearchJob, StageTiming, WorkerCall, WorkerMessage, WorkerSetup } from './protocol.ts';

const port = parentPort!;
const setup = workerData as WorkerSetup;
const send = (m: WorkerMessage) => port.postMessage(m);

const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
let lastCall = 0;
/** A call without its envelope, kept apart per kind. */
type CallBody = WorkerCall extends infer C ? (C extends unknown ? Omit<C, 'type' | 'id'> : never) : never;
function ask<T>(body: CallBody): Promise<T> {
  const id = ++lastCall;
  send({ type: 'call', id, ...body } as WorkerCall);
  return new Promise((resolve, reject) => pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
}

// Replies are read from the start: loading the service below already waits on queries.
port.on('message', (m: HostMessage) => {
  if (m.type !== 'reply') return;
  const call = pending.get(m.id);
  if (!call) return;
  pending.delete(m.id);
  if ('error' in m) call.reject(rebuildError(m.error));
  else call.resolve(m.value);
});

const notHere = () => Promise.reject(new Error('the search worker only reads the database'));
const db: Db = {
  backend: setup.backend,
  query: <T>(sql: string, params?: readonly unknown[]) =>
    ask<QueryResult<T>>({ kind: 'query', sql, params: params ? [...params] : undefined }),
  exec: notHere,
  transaction: notHere,
  close: async () => {},
};

/** Errors in log fields travel as their message and stack (an Error's own fields do not cross threads alike). */
function plain(obj: object | string): object | string {
  if (typeof obj === 'string') return obj;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = v instanceof Error ? { message: v.message, stack: v.stack } : v;
  return out;
}
const logger: Logger = {
  debug: (obj, msg) => send({ type: 'log', level: 'debug', obj: plain(obj), msg }),
  info: (obj, msg) => send({ type: 'log', level: 'info', obj: plain(obj), msg }),
  warn: (obj, msg) => send({ type: 'log', level: 'warn', obj: plain(obj), msg }),
  error: (obj, msg) => send({ type: 'log', level: 'error', obj: plain(obj), msg }),
  child: () => logger,
};

// Stage timings belong to the search that took them, however searches interleave on this thread.
const stages = new AsyncLocalStorage<StageTiming[]>();

async function answer(service: Awaited<ReturnType<typeof createSearchService>>, job: SearchJob): Promise<void> {
  const timings: StageTiming[] = [];
  try {
    if (service.catalog.lastSeq < job.seq) await service.refresh();
    const weight = job.personalWeight;
    const personal =
      weight === undefined
        ? undefined
        : {
            weight,
            affinity: async (ids: string[]) =>
              new Map(await ask<Array<[string, number]>>({ kind: 'affinity', search: job.id, ids })),
          };
    const res = await stages.run(timings, () => service.search({ ...job.req, personal }, { now: job.now }));
    send({ type: 'answer', id: job.id, json: JSON.stringify(res), parser: res.understood.parser, stages: timings });
  } catch (error) {
    send({ type: 'answer', id: job.id, error: errorShape(error), stages: timings });
  }
}

try {
  const service = await createSearchService({
    db,
    dataDir: setup.dataDir,
    replica: true,
    vectors: setup.vectors,
    ...(setup.embeddings ? { embeddings: setup.embeddings } : {}),
    ...(setup.llm ? { llm: setup.llm } : {}),
    ...(setup.staleness ? { staleness: setup.staleness } : {}),
    logger,
    observe: (stage, seconds) => stages.getStore()?.push([stage, seconds]),
  });
  port.on('message', (m: HostMessage) => {
    if (m.type === 'search') void answer(service, m);
  });
  send({ type: 'ready', titles: service.catalog.size });
} catch (error) {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
