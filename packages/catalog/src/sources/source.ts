import type { SourceRecordInput } from '@media-gateway/domain';

/** A per-row problem: the run keeps going and the report lists it. */
export interface RowProblem {
  file: string;
  row: number;
  field: string;
  reason: string;
}

/** One row a source produced: a record (maybe with warnings) or only problems (row rejected). */
export interface SourceItem {
  file: string;
  /** Line number in a file, or position in an API listing. */
  row: number;
  record?: SourceRecordInput;
  problems: RowProblem[];
  /** Bytes (or items) consumed so far and the total, for progress display. */
  progress?: { done: number; total: number };
}

/** Every importer (file or live API) is one of these; the pipeline does the rest. */
export interface Source {
  /** Stable name for run history, e.g. `catalog-csv:netflix` or `tmdb`. */
  readonly name: string;
  /** When the data was true, when the source itself knows (a dated snapshot); ingest's `seenAt` wins. */
  readonly seenAt?: Date | null;
  read(options: { signal?: AbortSignal }): AsyncIterable<SourceItem>;
}
