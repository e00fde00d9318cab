import type { Db, Queryable } from '@media-gateway/db';
import * as Y from 'yjs';

/** Fold updates into the snapshot once a user has this many (P3). */
export const COMPACT_AFTER_UPDATES = 200;

function bytes(value: unknown): Uint8Array {
  // pg returns Buffer, PGlite Uint8Array: both are Uint8Array.
  return value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer);
}

/**
 * Durable per-user state: a snapshot and an append-only list of updates (P1–P4). Every method is
 * safe with several gateway processes on one PostgreSQL: appends never conflict, and compaction
 * rebuilds the snapshot from the database (never from one process's memory) under a row lock.
 */
export class SyncStore {
  constructor(private readonly db: Db) {}

  /** Appends one update; when this resolves, the write survives a crash (P1). Returns the row id. */
  async append(userId: string, update: Uint8Array, q: Queryable = this.db): Promise<number> {
    const res = await q.query<{ id: string | number }>(
      'INSERT INTO sync_updates (user_id, update) VALUES ($1, $2) RETURNING id',
      [userId, update],
    );
    return Number(res.rows[0]!.id);
  }

  /** Loads the whole state as one update (snapshot + every later update), plus the update count. */
  async load(userId: string, q: Queryable = this.db): Promise<{ state: Uint8Array; pending: number; lastId: number }> {
    const snap = await q.query<{ state: unknown; upto_id: string | number }>(
      'SELECT state, upto_id FROM sync_snapshots WHERE user_id = $1',
      [userId],
    );
    const ups = await q.query<{ id: string | number; update: unknown }>(
      'SELECT id, update FROM sync_updates WHERE user_id = $1 ORDER BY id',
      [userId],
    );
    const doc = new Y.Doc();
    if (snap.rows[0]) Y.applyUpdate(doc, bytes(snap.rows[0].state));
    for (const row of ups.rows) Y.applyUpdate(doc, bytes(row.update));
    const lastId = ups.rows.length ? Number(ups.rows.at(-1)!.id) : Number(snap.rows[0]?.upto_id ?? 0);
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return { state, pending: ups.rows.length, lastId };
  }

  /**
   * Runs `fn` in a transaction holding a lock on this user's state that every process respects:
   * server-side edits of one person are made one at a time across all replicas.
   */
  async withUserLock<T>(userId: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sync:${userId}`]);
      return fn(tx);
    });
  }

  /**
   * Folds every update of the user into the snapshot (P3). Runs in one transaction, locking the
   * snapshot row, and only deletes the rows it read, so concurrent appends are kept.
   */
  async compact(userId: string): Promise<{ folded: number; bytes: number }> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        'INSERT INTO sync_snapshots (user_id, state, upto_id) VALUES ($1, $2, 0) ON CONFLICT (user_id) DO NOTHING',
        [userId, Y.encodeStateAsUpdate(new Y.Doc())],
      );
      const snap = await tx.query<{ state: unknown }>(
        'SELECT state FROM sync_snapshots WHERE user_id = $1 FOR UPDATE',
        [userId],
      );
      const ups = await tx.query<{ id: string | number; update: unknown }>(
        'SELECT id, update FROM sync_updates WHERE user_id = $1 ORDER BY id',
        [userId],
      );
      if (ups.rows.length === 0) return { folded: 0, bytes: bytes(snap.rows[0]!.state).byteLength };
      const doc = new Y.Doc();
      Y.applyUpdate(doc, bytes(snap.rows[0]!.state));
      for (const row of ups.rows) Y.applyUpdate(doc, bytes(row.update));
      const state = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      const maxId = Number(ups.rows.at(-1)!.id);
      await tx.query('UPDATE sync_snapshots SET state = $2, upto_id = $3, updated_at = now() WHERE user_id = $1', [
        userId,
        state,
        maxId,
      ]);
      await tx.query('DELETE FROM sync_updates WHERE user_id = $1 AND id <= $2', [userId, maxId]);
      return { folded: ups.rows.length, bytes: state.byteLength };
    });
  }

  async countUpdates(userId: string): Promise<number> {
    const res = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_updates WHERE user_id = $1', [
      userId,
    ]);
    return res.rows[0]?.n ?? 0;
  }

  async touchDevice(userId: string, deviceId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_device_seen (user_id, device_id, last_seen) VALUES ($1, $2, now())
       ON CONFLICT (user_id, device_id) DO UPDATE SET last_seen = now()`,
      [userId, deviceId],
    );
  }

  async lastSeen(userId: string): Promise<Map<string, string>> {
    const res = await this.db.query<{ device_id: string; last_seen: Date }>(
      'SELECT device_id, last_seen FROM sync_device_seen WHERE user_id = $1',
      [userId],
    );
    return new Map(res.rows.map((r) => [r.device_id, r.last_seen.toISOString()]));
  }
}
