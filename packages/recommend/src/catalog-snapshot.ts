import type { Queryable } from '@media-gateway/db';
import { type Clock, systemClock } from '@media-gateway/domain';
import { AvailabilityIndex } from './availability-index.ts';
import { CollabIndex } from './collab-index.ts';
import { ItemTable } from './item-table.ts';
import { latestModelId, loadLatestModel, trainAndStore } from './model-store.ts';

/** Everything ranking reads, built together so items, availability and the model always agree. */
export interface CatalogSnapshot {
  items: ItemTable;
  availability: AvailabilityIndex;
  collab: CollabIndex | undefined;
  /** "Watched next" rows of the same model (decision 0112). */
  sequence: CollabIndex | undefined;
  modelId: string | undefined;
  catalogSeq: number;
}

async function freshness(db: Queryable): Promise<{ seq: number; modelId: string | undefined }> {
  const { rows } = await db.query<{ seq: number }>('SELECT coalesce(max(seq), 0)::int AS seq FROM catalog_events');
  return { seq: rows[0]?.seq ?? 0, modelId: await latestModelId(db) };
}

async function build(db: Queryable, seq: number, now: number): Promise<CatalogSnapshot> {
  const { rows } = await db.query<{
    id: string;
    kind: string;
    title: string;
    year: number | null;
    runtime_minutes: number | null;
    genres: string[];
    directors: string[];
    cast_members: string[];
    countries: string[];
    languages: string[];
    popularity: number | null;
  }>(
    'SELECT id, kind, title, year, runtime_minutes, genres, directors, cast_members, countries, languages, ' +
      'popularity FROM titles ORDER BY id',
  );
  const items = new ItemTable(
    rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      year: r.year,
      runtimeMinutes: r.runtime_minutes,
      genres: r.genres,
      directors: r.directors,
      cast: r.cast_members,
      countries: r.countries,
      languages: r.languages,
      popularity: r.popularity,
    })),
  );
  let stored = await loadLatestModel(db);
  // First start: train once so the frozen model exists; later retrains are the worker's job.
  if (!stored) {
    await trainAndStore(db);
    stored = await loadLatestModel(db);
  }
  return {
    items,
    availability: await AvailabilityIndex.load(db, items, now),
    collab: stored && stored.model.items.length > 0 ? new CollabIndex(stored.model, items) : undefined,
    sequence: stored?.transitions?.items.length ? new CollabIndex(stored.transitions, items) : undefined,
    modelId: stored?.id,
    catalogSeq: seq,
  };
}

/**
 * Keeps the snapshot current: at most once per `checkEveryMs` it asks whether the catalog feed
 * moved or a newer model was trained, and rebuilds in the background of that one request.
 */
export class SnapshotHolder {
  private current: CatalogSnapshot | undefined;
  private pending: Promise<CatalogSnapshot> | undefined;
  private checkedAt = 0;

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock = systemClock(),
    private readonly checkEveryMs = 1000,
  ) {}

  async get(): Promise<CatalogSnapshot> {
    const now = this.clock.now();
    if (this.current && now - this.checkedAt < this.checkEveryMs) return this.current;
    if (this.pending) return this.pending;
    this.pending = (async () => {
      try {
        const f = await freshness(this.db);
        this.checkedAt = this.clock.now();
        if (
          !this.current ||
          this.current.catalogSeq !== f.seq ||
          (f.modelId !== undefined && this.current.modelId !== f.modelId)
        ) {
          this.current = await build(this.db, f.seq, this.clock.now());
        }
        return this.current;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  invalidate(): void {
    this.checkedAt = 0;
  }
}
