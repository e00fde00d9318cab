/** An image as the proxy keeps and serves it. */
export interface CachedImage {
  bytes: Buffer;
  /** The checked content type (image/jpeg, image/png, image/webp; image/svg+xml for SA logos). */
  type: string;
  /** Hash of the bytes: the same on every replica for the same image. */
  etag: string;
}

/**
 * Least-recently-used images within a byte budget: a Map keeps insertion order, so a hit is moved
 * to the end and the oldest is evicted first. An image larger than the whole budget is not kept.
 */
export class MemoryImageCache {
  private readonly entries = new Map<string, CachedImage>();
  private used = 0;

  constructor(private readonly budget: number) {}

  get(key: string): CachedImage | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, image: CachedImage): void {
    this.delete(key);
    if (image.bytes.length > this.budget) return;
    this.entries.set(key, image);
    this.used += image.bytes.length;
    for (const [oldest, old] of this.entries) {
      if (this.used <= this.budget) break;
      this.entries.delete(oldest);
      this.used -= old.bytes.length;
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.used -= old.bytes.length;
  }

  /** Bytes held now (never above the budget). */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }
}
