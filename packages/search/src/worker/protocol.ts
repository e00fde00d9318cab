import type { VectorsKind } from '../embed/local-embedder.ts';
import type { OpenAiEmbedderOptions } from '../embed/openai-embedder.ts';
import type { SearchRequest } from '../search-service.ts';
import type { LlmParserOptions } from '../understand/llm-parser.ts';
import type { StalenessPolicy } from '@media-gateway/catalog';
import { DomainError, type DomainErrorCode } from '@media-gateway/domain';

/** What the worker thread's search service is built from: plain data, as `workerData`. */
export interface WorkerSetup {
  dataDir: string;
  backend: 'pglite' | 'postgres';
  vectors?: VectorsKind | undefined;
  embeddings?: OpenAiEmbedderOptions | undefined;
  llm?: LlmParserOptions | undefined;
  staleness?: StalenessPolicy | undefined;
}

/** A search as it crosses to the worker: the person's taste travels as its weight; the worker asks for the rest. */
export interface SearchJob {
  type: 'search';
  id: number;
  req: Omit<SearchRequest, 'personal'>;
  personalWeight?: number | undefined;
  /** The caller's catalog position: the worker catches up to it first, so it never answers from an older catalog. */
  seq: number;
  /** The caller's clock (offers' end dates and ages). */
  now: number;
}

/** The worker's questions to the thread that owns the database and the recommender. */
export type WorkerCall =
  | { type: 'call'; id: number; kind: 'query'; sql: string; params: readonly unknown[] | undefined }
  | { type: 'call'; id: number; kind: 'affinity'; search: number; ids: string[] };

export type StageTiming = [stage: string, seconds: number];

/**
 * An error as it crosses between threads: a domain error whole, any other by its message and code (a database
 * error's SQLSTATE or a socket's errno, which the gateway's error handler turns into 400 or 503).
 */
export interface ErrorShape {
  domain: boolean;
  code?: string | undefined;
  message: string;
  details?: Record<string, unknown> | undefined;
}

export type WorkerMessage =
  | { type: 'ready'; titles: number }
  | { type: 'failed'; error: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; obj: object | string; msg: string | undefined }
  | { type: 'answer'; id: number; json: string; parser: string; stages: StageTiming[] }
  | { type: 'answer'; id: number; error: ErrorShape; stages: StageTiming[] }
  | WorkerCall;

export type HostMessage =
  | SearchJob
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'reply'; id: number; error: ErrorShape };

/** The first string `code` on an error, its causes or the errors it aggregates (pg's several addresses). */
function errorCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  for (const inner of Array.isArray(errors) ? errors : []) {
    const found = errorCode(inner, depth + 1);
    if (found) return found;
  }
  return errorCode(cause, depth + 1);
}

export function errorShape(error: unknown): ErrorShape {
  if (error instanceof DomainError)
    return { domain: true, code: error.code, message: error.message, details: error.details };
  return { domain: false, code: errorCode(error), message: error instanceof Error ? error.message : String(error) };
}

export function rebuildError(error: ErrorShape): Error {
  if (error.domain) return new DomainError(error.code as DomainErrorCode, error.message, error.details);
  return Object.assign(new Error(error.message), error.code ? { code: error.code } : {});
}
