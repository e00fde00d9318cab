import type { Db } from '@media-gateway/db';
import { readWatchlist, SyncStore } from '@media-gateway/sync';
import * as Y from 'yjs';

/**
 * `watchlist_index(user_id, title_id)`: who has which title on their watchlist, for people with
 * alerts on. The watchlist lives in each person's CRDT document; this table is derived from it, so
 * an event can find its people with one join. A person's rows are rebuilt only when their stored
 * sync state changed since the last refresh (snapshot position, newest update id and update count,
 * the signature the sync hub's anti-entropy uses too), so an idle pass costs one query. `onlyUser`: refresh that person
 * only (whatever their alert choices), for their iCal feed. Derived
 * here rather than written by the hub on every edit: the hub stays unaware of alerts, and a crash
 * between an edit and an index write cannot leave the index wrong for good (decision 0120).
 */
export async function refreshWatchlistIndex(db: Db, onlyUser?: string): Promise<{ checked: number; rebuilt: number }> {
  const { rows } = await db.query<{ user_id: string; signature: string; indexed: string | null }>(
    `SELECT s.user_id,
            coalesce((SELECT upto_id FROM sync_snapshots p WHERE p.user_id = s.user_id), 0)::text || ':' ||
            coalesce((SELECT max(id) FROM sync_updates u WHERE u.user_id = s.user_id), 0)::text || ':' ||
            (SELECT count(*) FROM sync_updates u WHERE u.user_id = s.user_id)::text AS signature,
            i.signature AS indexed
     FROM alert_settings s LEFT JOIN watchlist_index_state i ON i.user_id = s.user_id
     WHERE ($1::text IS NULL AND cardinality(s.channels) > 0 AND cardinality(s.kinds) > 0) OR s.user_id = $1`,
    [onlyUser ?? null],
  );
  const store = new SyncStore(db);
  let rebuilt = 0;
  for (const r of rows) {
    if (r.signature === r.indexed) continue;
    const { state } = await store.load(r.user_id);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const titles = readWatchlist(doc).map((i) => i.titleId);
    doc.destroy();
    await db.transaction(async (tx) => {
      await tx.query('DELETE FROM watchlist_index WHERE user_id = $1', [r.user_id]);
      if (titles.length > 0)
        await tx.query(
          'INSERT INTO watchlist_index (user_id, title_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
          [r.user_id, titles],
        );
      await tx.query(
        `INSERT INTO watchlist_index_state (user_id, signature, refreshed_at) VALUES ($1, $2, now())
         ON CONFLICT (user_id) DO UPDATE SET signature = EXCLUDED.signature, refreshed_at = now()`,
        [r.user_id, r.signature],
      );
    });
    rebuilt++;
  }
  return { checked: rows.length, rebuilt };
}
