import type { Db } from '@media-gateway/db';
import { DomainError, type SourceRecord } from '@media-gateway/domain';
import type { MergeView } from '@media-gateway/domain/contracts';
import { loadTitleIndex } from '../store/load-index.ts';
import { titleIdFor } from '../store/ids.ts';
import { recomputeTitles } from '../store/write-batch.ts';

export type { MergeView };

/** Records that were merged into a title another record created, lowest confidence first (the review queue). */
export async function listMerges(
  db: Db,
  options: { maxConfidence?: number; limit?: number; titleId?: string } = {},
): Promise<MergeView[]> {
  const rows = await db.query<{
    source: string;
    source_key: string;
    title_id: string;
    title: string;
    method: string;
    confidence: number;
    reason: string;
    action: 'split' | 'merge' | null;
  }>(
    `SELECT s.source, s.source_key, s.title_id, t.title, s.method, s.confidence, s.reason, o.action
     FROM title_sources s JOIN titles t ON t.id = s.title_id
     LEFT JOIN resolution_overrides o ON o.source = s.source AND o.source_key = s.source_key
     WHERE ($3::text IS NOT NULL AND s.title_id = $3)
        OR ($3::text IS NULL AND (s.method IN ('evidence', 'external-id', 'override')) AND s.confidence <= $1)
     ORDER BY s.confidence, s.title_id, s.source LIMIT $2`,
    [options.maxConfidence ?? 1, options.limit ?? 100, options.titleId ?? null],
  );
  return rows.rows.map((r) => ({
    source: r.source,
    sourceKey: r.source_key,
    titleId: r.title_id,
    title: r.title,
    method: r.method,
    confidence: r.confidence,
    reason: r.reason,
    override: r.action,
  }));
}

/**
 * Applies an operator decision now and stores it so re-ingestion respects it:
 * `split` gives the record a title of its own; `merge` moves it onto `targetTitleId`.
 */
export async function overrideResolution(
  db: Db,
  input: { source: string; sourceKey: string; action: 'split' | 'merge'; targetTitleId?: string; note?: string },
): Promise<{ titleId: string; previousTitleId: string }> {
  return db.transaction(async (tx) => {
    const current = await tx.query<{ title_id: string; record: SourceRecord }>(
      'SELECT title_id, record FROM title_sources WHERE source = $1 AND source_key = $2',
      [input.source, input.sourceKey],
    );
    const row = current.rows[0];
    if (!row)
      throw new DomainError('NOT_FOUND', `No record ${input.source}/${input.sourceKey}.`, {
        resource: 'source-record',
        id: `${input.source}/${input.sourceKey}`,
      });
    let target: string;
    if (input.action === 'merge') {
      if (!input.targetTitleId) throw new DomainError('INVALID_INPUT', 'A merge needs the target title id.');
      const exists = await tx.query<{ kind: string }>('SELECT kind FROM titles WHERE id = $1', [input.targetTitleId]);
      if (!exists.rows[0])
        throw new DomainError('NOT_FOUND', `No title ${input.targetTitleId}.`, {
          resource: 'title',
          id: input.targetTitleId,
        });
      const imdb = row.record.externalIds?.imdb;
      if (imdb) {
        const clash = await tx.query(
          'SELECT 1 FROM external_ids WHERE namespace = $1 AND title_id = $2 AND value <> $3',
          ['imdb', input.targetTitleId, imdb],
        );
        if (clash.rows.length > 0)
          throw new DomainError(
            'CONFLICT',
            'The target title has a different IMDb id; records with different IMDb ids are never merged.',
          );
      }
      target = input.targetTitleId;
    } else {
      target = titleIdFor(input.source, input.sourceKey);
      if (target === row.title_id) target = titleIdFor(`${input.source}#split`, input.sourceKey);
      await tx.query(
        `INSERT INTO titles (id, kind, title, norm_title) VALUES ($1, $2, $3, '') ON CONFLICT (id) DO NOTHING`,
        [target, row.record.kind, row.record.title],
      );
    }
    await tx.query(
      `INSERT INTO resolution_overrides (source, source_key, action, target_title_id, note) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (source, source_key) DO UPDATE SET action = EXCLUDED.action,
         target_title_id = EXCLUDED.target_title_id, note = EXCLUDED.note, created_at = now()`,
      [input.source, input.sourceKey, input.action, input.action === 'merge' ? target : null, input.note ?? null],
    );
    await tx.query(
      `UPDATE title_sources SET title_id = $3, method = 'override', confidence = 1, reason = $4 ` +
        `WHERE source = $1 AND source_key = $2`,
      [
        input.source,
        input.sourceKey,
        target,
        `operator override: ${input.action}${input.note ? ` (${input.note})` : ''}`,
      ],
    );
    await tx.query('UPDATE offers SET title_id = $3 WHERE source = $1 AND source_key = $2', [
      input.source,
      input.sourceKey,
      target,
    ]);
    await recomputeTitles(tx, [...new Set([row.title_id, target])]);
    return { titleId: target, previousTitleId: row.title_id };
  });
}

/** For tests and tools: the resolution index size after loading. */
export async function countIndexedTitles(db: Db): Promise<number> {
  return (await loadTitleIndex(db)).size;
}
