import type { SourceRecord } from '@media-gateway/domain';
import { evidenceOf, externalKeys, type Resolution } from './resolver.ts';
import type { TitleIndex } from './title-index.ts';

/**
 * Applies a resolution to the in-memory index: a new title is added, or the chosen title absorbs
 * the record's evidence; the record's external ids then point at it. Shared by the ingestion
 * pipeline and the in-memory evaluation so the two cannot drift apart.
 */
export function placeRecord(
  index: TitleIndex,
  record: SourceRecord,
  resolution: Resolution,
  newTitleId: () => string,
): { titleId: string; isNewTitle: boolean } {
  const ev = evidenceOf(record);
  let titleId = resolution.titleId;
  let isNewTitle = false;
  if (!titleId) {
    titleId = newTitleId();
    isNewTitle = !index.get(titleId);
    index.put({ id: titleId, kind: record.kind, ...ev });
  } else {
    index.absorb(titleId, ev);
  }
  for (const key of externalKeys(record)) if (!index.findExternal(key)) index.putExternal(key, titleId);
  return { titleId, isNewTitle };
}
