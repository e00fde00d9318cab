import type { Db } from '@media-gateway/db';
import type { Clock } from '@media-gateway/domain';

/** How stale this replica's view of the catalog version may be (its "seen" horizon). */
const VERSION_CHECK_MS = 250;

interface Entry {
  version: string;
  day: string;
  expires: number;
  value: unknown;
}

/**
 * Responses of catalog reads (title details, title pages, anonymous searches) kept in memory and
 * keyed by what was asked. An entry is used only while the catalog version it was computed at
 * (the newest `catalog_events` row) is still the newest this replica has seen, so the cache never
 * answers with data older than a catalog change the replica knows of: a change anywhere reaches
 * every replica's cache within VERSION_CHECK_MS, and a change made by this process at once
 * (`invalidate`). Entries also end with the UTC day (offer ages say "seen 3 days ago") and after
 * `ttlMs` (end dates of offers are judged against the clock). Bounded: least recently used first.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private version: string | undefined;
  private checkedAt = 0;
  private checking: Promise<string> | undefined;
  hits = 0;
  misses = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: { maxEntries?: number; ttlMs?: number } = {},
  ) {}

  /** The catalog version as this replica sees it (re-read at most every VERSION_CHECK_MS). */
  async catalogVersion(): Promise<string> {
    if (this.version !== undefined && Date.now() - this.checkedAt < VERSION_CHECK_MS) return this.version;
    this.checking ??= this.db
      .query<{ v: string | null }>('SELECT max(seq)::text AS v FROM catalog_events')
      .then((r) => {
        const v = r.rows[0]?.v ?? '0';
        if (v !== this.version) this.entries.clear();
        this.version = v;
        this.checkedAt = Date.now();
        return v;
      })
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  /** A change this process made: nothing cached before it may be served. */
  invalidate(): void {
    this.entries.clear();
    this.version = undefined;
  }

  /** The cached answer for `key`, or `compute`'s (kept unless `keep` says it is a degraded one). */
  async get<T>(key: string, compute: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const version = await this.catalogVersion();
    const now = this.clock.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const hit = this.entries.get(key);
    if (hit && hit.version === version && hit.day === day && hit.expires > now) {
      // Most recently used goes last: eviction takes the first.
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.hits++;
      return hit.value as T;
    }
    this.misses++;
    const value = await compute();
    if (!keep(value)) return value;
    this.entries.set(key, { version, day, expires: now + (this.options.ttlMs ?? 60_000), value });
    const max = this.options.maxEntries ?? 2000;
    while (this.entries.size > max) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
