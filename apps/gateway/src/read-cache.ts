import type { Db } from '@media-gateway/db';
import type { Clock } from '@media-gateway/domain';

interface Entry {
  version: string;
  day: string;
  expires: number;
  value: unknown;
}

/**
 * Responses of catalog reads (title details, title pages, anonymous searches) kept in memory and
 * keyed by what was asked. An entry is used only while the version it was computed at is still the version
 * now, so a cached answer is never older than a new one would be:
 * - by default the catalog version: the newest `catalog_events` row, read on every lookup (one primary-key
 *   query, much cheaper than the answers it saves), so reads made from the database never miss a committed
 *   catalog change, whichever process made it;
 * - a caller whose answers come from its own in-memory copy passes that copy's version instead (search:
 *   decision 0114), so the cache follows that copy exactly and costs no query.
 * Entries also end with the UTC day (offer ages say "seen 3 days ago") and after `ttlMs` (end dates of offers are
 * judged against the clock). Bounded: least recently used first.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private version: string | undefined;
  hits = 0;
  misses = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly options: { maxEntries?: number; ttlMs?: number } = {},
  ) {}

  /** The catalog version now: the newest catalog change committed. */
  async catalogVersion(): Promise<string> {
    const r = await this.db.query<{ v: string | null }>('SELECT max(seq)::text AS v FROM catalog_events');
    const v = r.rows[0]?.v ?? '0';
    if (v !== this.version) this.entries.clear();
    this.version = v;
    return v;
  }

  /**
   * The cached answer for `key`, or `compute`'s (kept unless `keep` says it is a degraded one). `versionNow`: the
   * version the answer depends on (the catalog's by default).
   */
  async get<T>(
    key: string,
    compute: () => Promise<T>,
    keep: (value: T) => boolean = () => true,
    versionNow: () => Promise<string> = () => this.catalogVersion(),
  ): Promise<T> {
    const version = await versionNow();
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
