import type { VectorsKind } from '../embed/local-embedder.ts';
import type { OpenAiEmbedderOptions } from '../embed/openai-embedder.ts';
import type { SearchRequest } from '../search-service.ts';
import type { LlmParserOptions } from '../understand/llm-parser.ts';
import type { StalenessPolicy } from '@media-gateway/catalog';

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

export interface ErrorShape {
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
