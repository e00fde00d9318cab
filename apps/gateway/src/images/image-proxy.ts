import { createHash } from 'node:crypto';
import { type Clock, isAllowedImageUrl, type Logger } from '@media-gateway/domain';
import { DiskImageCache } from './image-disk-cache.ts';
import { type FetchLike, fetchImage, type ImageFailure } from './image-fetch.ts';
import { type CachedImage, MemoryImageCache } from './image-memory-cache.ts';

/** Largest upstream image passed on (TMDb's w780 posters are ~100 KB; 2 MB leaves room). */
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
/** How long a failed URL is not asked again: a dead host must not cost every card a timeout. */
export const IMAGE_FAILURE_TTL_MS = 60_000;
/** Failed URLs remembered at most (oldest forgotten first). */
const FAILURES_KEPT = 2000;

export interface ImageProxyOptions {
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  /** False (MG_IMAGE_PROXY=off): nothing is fetched, every image falls back. */
  enabled: boolean;
  memoryBytes: number;
  /** Where to keep images on disk, and how many bytes; absent: memory only. */
  disk?: { dir: string; bytes: number } | undefined;
  timeoutMs: number;
  maxBytes?: number;
  failureTtlMs?: number;
}

export type ImageOutcome =
  | ({ ok: true; from: 'memory' | 'disk' | 'upstream' } & CachedImage)
  | { ok: false; reason: ImageFailure };

const etagOf = (bytes: Buffer) => `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;

/**
 * The caching image proxy (decision 0109): memory (LRU within a byte budget), then disk, then the
 * upstream host, once per URL at a time however many requests wait for it. Only URLs built from
 * stored references reach it, and it refuses any that is not on the allow-list before fetching.
 */
export class ImageProxy {
  private readonly memory: MemoryImageCache;
  private readonly disk: DiskImageCache | undefined;
  private readonly inFlight = new Map<string, Promise<ImageOutcome>>();
  private readonly failures = new Map<string, { until: number; reason: ImageFailure }>();
  /** Where answers came from, for tests and logs. */
  readonly stats = { memory: 0, disk: 0, upstream: 0, failed: 0 };

  constructor(private readonly options: ImageProxyOptions) {
    this.memory = new MemoryImageCache(options.memoryBytes);
    this.disk = options.disk ? new DiskImageCache(options.disk.dir, options.disk.bytes, options.logger) : undefined;
  }

  async get(url: URL): Promise<ImageOutcome> {
    if (!this.options.enabled) return { ok: false, reason: 'off' };
    if (!isAllowedImageUrl(url)) {
      this.options.logger.warn({ host: url.hostname }, 'image proxy: refused a URL off the allow-list');
      return { ok: false, reason: 'refused' };
    }
    const key = url.toString();
    const hit = this.memory.get(key);
    if (hit) {
      this.stats.memory++;
      return { ok: true, from: 'memory', ...hit };
    }
    const failed = this.failures.get(key);
    if (failed && failed.until > this.options.clock.now()) return { ok: false, reason: failed.reason };
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.load(key, url).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async load(key: string, url: URL): Promise<ImageOutcome> {
    const stored = await this.disk?.get(key);
    if (stored) {
      const image = { ...stored, etag: etagOf(stored.bytes) };
      this.memory.set(key, image);
      this.stats.disk++;
      return { ok: true, from: 'disk', ...image };
    }
    const fetched = await fetchImage(this.options.fetch, url, {
      timeoutMs: this.options.timeoutMs,
      maxBytes: this.options.maxBytes ?? IMAGE_MAX_BYTES,
    });
    if (!fetched.ok) {
      this.stats.failed++;
      this.options.logger.warn(
        { host: url.hostname, reason: fetched.reason },
        'image proxy: upstream image not served',
      );
      this.failures.delete(key);
      this.failures.set(key, {
        until: this.options.clock.now() + (this.options.failureTtlMs ?? IMAGE_FAILURE_TTL_MS),
        reason: fetched.reason,
      });
      for (const oldest of this.failures.keys()) {
        if (this.failures.size <= FAILURES_KEPT) break;
        this.failures.delete(oldest);
      }
      return fetched;
    }
    this.failures.delete(key);
    const image = { bytes: fetched.bytes, type: fetched.type, etag: etagOf(fetched.bytes) };
    this.memory.set(key, image);
    await this.disk?.set(key, image.bytes, image.type);
    this.stats.upstream++;
    return { ok: true, from: 'upstream', ...image };
  }
}
