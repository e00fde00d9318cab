import { normalizeTitle, type SourceRecord } from '@media-gateway/domain';
import { placeRecord } from '../src/resolve/place-record.ts';
import { type ResolutionMethod, resolveRecord } from '../src/resolve/resolver.ts';
import { TitleIndex } from '../src/resolve/title-index.ts';

export interface InMemoryResolution {
  /** Canonical title (cluster) per record, in input order. */
  clusters: string[];
  /** How each record was placed: `new`, `external-id`, `evidence`. */
  methods: ResolutionMethod[];
}

/**
 * Resolves records one after another exactly as the ingestion pipeline does in memory (resolve,
 * then create or absorb, then register external ids), without a database. Keep in step with
 * `handleRecord` in src/pipeline/ingest.ts.
 */
export function resolveInMemory(records: readonly SourceRecord[]): InMemoryResolution {
  const index = new TitleIndex();
  const clusters: string[] = [];
  const methods: ResolutionMethod[] = [];
  records.forEach((record, i) => {
    const resolution = resolveRecord(record, index);
    const { titleId } = placeRecord(index, record, resolution, () => `t${i}`);
    clusters.push(titleId);
    methods.push(resolution.method);
  });
  return { clusters, methods };
}

/**
 * The naive baseline: same normalized title and same year means same work (no type, no ids, no
 * people). Records without a year never match. MovieLens alternates are not used.
 */
export function baselineClusters(records: readonly SourceRecord[]): string[] {
  return records.map((r, i) => (r.year === undefined ? `solo:${i}` : `${normalizeTitle(r.title)}|${r.year}`));
}
