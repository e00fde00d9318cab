import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { SourceRecordInput } from '@media-gateway/domain';
import type { Source } from '../source.ts';

/**
 * Our own JSONL: one canonical record per line, as `media-gateway export --format jsonl` writes
 * it (see docs/formats/canonical-jsonl.md). Each line becomes a source record of `source`; the
 * record's `id` (or its title/year/kind) is its key, so re-importing the same file changes nothing.
 */
export function jsonlCanonicalSource(path: string, options: { source?: string; seenAt?: Date } = {}): Source {
  const file = basename(path);
  const source = options.source ?? `jsonl:${file.replace(/\.jsonl$/, '')}`;
  return {
    name: source,
    ...(options.seenAt ? { seenAt: options.seenAt } : {}),
    async *read({ signal }) {
      const total = (await stat(path)).size;
      let done = 0;
      let line = 0;
      const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
      for await (const text of rl) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted');
        line++;
        done += Buffer.byteLength(text) + 1;
        if (!text.trim()) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (error) {
          yield {
            file,
            row: line,
            problems: [{ file, row: line, field: '(line)', reason: `invalid JSON: ${(error as Error).message}` }],
            progress: { done, total },
          };
          continue;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          yield {
            file,
            row: line,
            problems: [{ file, row: line, field: '(line)', reason: 'expected a JSON object' }],
            progress: { done, total },
          };
          continue;
        }
        yield {
          file,
          row: line,
          record: fromCanonical(parsed as Record<string, unknown>, source),
          problems: [],
          progress: { done, total },
        };
      }
    },
  };
}

/** Maps an exported canonical record back to a source record. Validation happens in the pipeline. */
function fromCanonical(r: Record<string, unknown>, source: string): SourceRecordInput {
  const key =
    typeof r['id'] === 'string' && r['id']
      ? r['id']
      : `${String(r['kind'])}:${String(r['title'])}:${String(r['year'] ?? '')}`;
  const offers = Array.isArray(r['offers']) ? (r['offers'] as Array<Record<string, unknown>>) : [];
  return {
    ...(r as object),
    source,
    sourceKey: key,
    offers: offers.map((o) => {
      const { url, urlKind, lastSeen: _l, source: _s, isStale: _i, ...rest } = o;
      // A direct URL is kept as the platform's deep link; a search URL is rebuilt from the title.
      return { ...rest, ...(urlKind === 'direct' && typeof url === 'string' ? { webUrl: url } : {}) };
    }),
  } as SourceRecordInput;
}
