import { randomUUID } from 'node:crypto';
import type { Queryable } from '@media-gateway/db';
import { type EaseModel, trainEase } from './ease-trainer.ts';
import { signalWeight, type EventType } from './event-signals.ts';
import { trainTransitions } from './transitions.ts';

/** Layout: header length u32, header JSON {items, nnz}, then ptr (i32), idx (i32), val (f32). */
export function encodeModel(m: EaseModel): Uint8Array {
  const header = Buffer.from(JSON.stringify({ items: m.items, nnz: m.idx.length }), 'utf8');
  const parts = [
    Buffer.alloc(4),
    header,
    Buffer.from(m.ptr.buffer, m.ptr.byteOffset, m.ptr.byteLength),
    Buffer.from(m.idx.buffer, m.idx.byteOffset, m.idx.byteLength),
    Buffer.from(m.val.buffer, m.val.byteOffset, m.val.byteLength),
  ];
  parts[0]!.writeUInt32LE(header.length, 0);
  return new Uint8Array(Buffer.concat(parts));
}

export function decodeModel(bytes: Uint8Array): EaseModel {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = buf.readUInt32LE(0);
  const header = JSON.parse(buf.toString('utf8', 4, 4 + len)) as { items: string[]; nnz: number };
  let o = 4 + len;
  const take = (count: number) => {
    const copy = new Uint8Array(count * 4);
    copy.set(buf.subarray(o, o + count * 4));
    o += count * 4;
    return copy.buffer;
  };
  const ptr = new Int32Array(take(header.items.length + 1));
  const idx = new Int32Array(take(header.nnz));
  const val = new Float32Array(take(header.nnz));
  return { items: header.items, ptr, idx, val };
}

export interface StoredModel {
  id: string;
  createdAt: Date;
  model: EaseModel;
  /** "Watched next" rows (decision 0112); undefined for models trained before them. */
  transitions: EaseModel | undefined;
}

export async function latestModelId(db: Queryable): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM rec_models ORDER BY created_at DESC, id DESC LIMIT 1',
  );
  return rows[0]?.id;
}

export async function loadLatestModel(db: Queryable): Promise<StoredModel | undefined> {
  const { rows } = await db.query<{ id: string; created_at: Date; model: Uint8Array; transitions: Uint8Array | null }>(
    'SELECT id, created_at, model, transitions FROM rec_models ORDER BY created_at DESC, id DESC LIMIT 1',
  );
  const r = rows[0];
  if (!r) return undefined;
  const transitions = r.transitions ? decodeModel(r.transitions) : undefined;
  return { id: r.id, createdAt: r.created_at, model: decodeModel(r.model), transitions };
}

export interface TrainStats {
  id: string;
  users: number;
  interactions: number;
  items: number;
  seconds: number;
}

/**
 * The retraining job (run by the worker role or `media-gateway recommend retrain`): reads every
 * stored event, sums each person's signal per title, fits EASE on titles with enough positive
 * users, learns what people watched next from the order of their positive events (decision 0112),
 * and stores both as the newest model. Serving replicas pick it up on their next
 * freshness check; until then they keep the previous, frozen model.
 */
export async function trainAndStore(
  db: Queryable,
  options: { minCount?: number; maxItems?: number; topK?: number } = {},
): Promise<TrainStats> {
  const started = performance.now();
  const { rows } = await db.query<{ user_id: string; title_id: string; type: EventType; value: number | null }>(
    'SELECT user_id, title_id, type, value FROM rec_events ORDER BY user_id, occurred_at, received_at, client_event_id',
  );
  const sums = new Map<string, { user: string; item: string; weight: number }>();
  // Each person's positive titles in the order they first said so.
  const sequences = new Map<string, string[]>();
  for (const r of rows) {
    if (signalWeight(r.type, r.value) > 0) {
      const list = sequences.get(r.user_id) ?? [];
      list.push(r.title_id);
      sequences.set(r.user_id, list);
    }
    const key = `${r.user_id}\u0000${r.title_id}`;
    const cur = sums.get(key) ?? { user: r.user_id, item: r.title_id, weight: 0 };
    cur.weight += signalWeight(r.type, r.value);
    sums.set(key, cur);
  }
  const interactions = [...sums.values()];
  const model = trainEase(interactions, {
    minCount: options.minCount ?? 2,
    maxItems: options.maxItems ?? 2500,
    topK: options.topK ?? 100,
    lambda: 50,
  });
  const transitions = trainTransitions(sequences.values(), { minCount: options.minCount ?? 2 });
  const { rows: seqRows } = await db.query<{ seq: number }>(
    'SELECT coalesce(max(seq), 0)::int AS seq FROM catalog_events',
  );
  const id = `m_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
  const users = new Set(interactions.map((i) => i.user)).size;
  const seconds = (performance.now() - started) / 1000;
  await db.query(
    'INSERT INTO rec_models (id, catalog_seq, stats, model, transitions) VALUES ($1, $2, $3::jsonb, $4, $5)',
    [
      id,
      seqRows[0]?.seq ?? 0,
      JSON.stringify({
        users,
        interactions: interactions.length,
        items: model.items.length,
        transitions: transitions.idx.length,
        seconds,
      }),
      encodeModel(model),
      encodeModel(transitions),
    ],
  );
  // Keep the newest three models: enough to roll back by hand, without unbounded growth.
  await db.query(
    'DELETE FROM rec_models WHERE id NOT IN (SELECT id FROM rec_models ORDER BY created_at DESC, id DESC LIMIT 3)',
  );
  return { id, users, interactions: interactions.length, items: model.items.length, seconds };
}
