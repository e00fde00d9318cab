import type { SourceRecordInput } from '@media-gateway/domain';
import type { Cursor, LiveOutcome, LiveRunOptions, LiveSource, LiveSourceName } from '../sources/live-sources.ts';
import type { RowProblem, SourceItem } from '../sources/source.ts';
import type { SourceHttp } from './source-http.ts';
import { MalformedResponseError, QuotaExceededError, UpstreamError } from './upstream-errors.ts';

export interface Page<Raw> {
  items: Raw[];
  /** Cursor of the next page; undefined at the end of the listing. */
  next: Cursor | undefined;
  /**
   * Set when the listing ends early for a reason of the API (JustWatch's 2,000-entry cap): the sweep is not complete.
   */
  truncated?: string;
}

/** Turns one listing entry into a record (possibly after detail calls) or a rejection with reasons. */
export type ToRecord<Raw> = (
  raw: Raw,
  ctx: { row: number; signal: AbortSignal | undefined },
) => Promise<{ record?: SourceRecordInput; problems: Array<{ field: string; reason: string }> }>;

export interface PagedSpec<Raw> {
  base: LiveSourceName;
  http: SourceHttp;
  firstCursor: Cursor;
  fetchPage: (cursor: Cursor, signal: AbortSignal | undefined) => Promise<Page<Raw>>;
  toRecord: ToRecord<Raw>;
  /** On a malformed page with a numeric cursor the listing can skip ahead; cursor feeds cannot. */
  skipPage?: (cursor: Cursor) => Cursor | undefined;
}

/**
 * The loop every live connector shares: page through a listing, map each entry, keep going on a
 * bad record (rejected with a reason), stop cleanly on a spent quota, and report where each page
 * starts so an interrupted run can resume. Failures that mean "the source is down" (open circuit,
 * exhausted retries on a page) propagate: the run fails and the next one resumes from the checkpoint.
 */
export function pagedSource<Raw>(spec: PagedSpec<Raw>, run: LiveRunOptions): LiveSource {
  const name = `${spec.base}:${run.region}`;
  const file = spec.base;
  const outcome: LiveOutcome = { pages: 0, complete: false };
  return {
    name,
    base: spec.base,
    region: run.region,
    http: spec.http,
    outcome,
    async *read({ signal }): AsyncIterable<SourceItem> {
      let cursor: Cursor | undefined = run.resume ? run.resume.cursor : spec.firstCursor;
      let row = run.resume ? run.resume.firstRow : 1;
      const stop = (why: NonNullable<LiveOutcome['stopped']>, message: string): SourceItem => {
        outcome.stopped = why;
        outcome.message = message;
        return { file, row, problems: [{ file, row, field: why === 'quota' ? 'quota' : 'page', reason: message }] };
      };
      while (cursor !== undefined) {
        if (run.maxPages !== undefined && outcome.pages >= run.maxPages) {
          outcome.stopped = 'page-cap';
          outcome.message = `stopped after ${run.maxPages} page(s)`;
          return;
        }
        await run.onPage?.({ firstRow: row, cursor });
        let page: Page<Raw>;
        try {
          page = await spec.fetchPage(cursor, signal);
        } catch (error) {
          if (error instanceof QuotaExceededError) {
            yield stop('quota', error.message);
            return;
          }
          if (error instanceof MalformedResponseError) {
            const skipTo: Cursor | undefined = spec.skipPage?.(cursor);
            yield stop(
              'malformed-page',
              `${error.message}${skipTo !== undefined ? '; page skipped' : '; listing stopped'}`,
            );
            if (skipTo === undefined) return;
            cursor = skipTo;
            continue;
          }
          throw error;
        }
        outcome.pages++;
        if (page.truncated) {
          outcome.stopped = 'page-cap';
          outcome.message = page.truncated;
        }
        for (const raw of page.items) {
          let problems: RowProblem[] = [];
          let record: SourceRecordInput | undefined;
          try {
            const mapped = await spec.toRecord(raw, { row, signal });
            record = mapped.record;
            problems = mapped.problems.map((p) => ({ file, row, ...p }));
          } catch (error) {
            if (error instanceof QuotaExceededError) {
              yield stop('quota', error.message);
              return;
            }
            // A bad detail answer (malformed body, 404, 4xx) rejects this record only.
            if (error instanceof MalformedResponseError || (error instanceof UpstreamError && !error.retryable)) {
              problems = [{ file, row, field: 'response', reason: error.message }];
            } else {
              throw error;
            }
          }
          yield { file, row, ...(record ? { record } : {}), problems };
          row++;
        }
        cursor = page.next;
      }
      if (!outcome.stopped) outcome.complete = true;
    },
  };
}

/** Formats zod issues of a raw API object as per-record problems. */
export function shapeProblems(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
  prefix = '',
): Array<{ field: string; reason: string }> {
  return issues.slice(0, 5).map((i) => ({
    field: `${prefix}${i.path.map(String).join('.') || '(body)'}`,
    reason: `unexpected shape: ${i.message}`,
  }));
}
