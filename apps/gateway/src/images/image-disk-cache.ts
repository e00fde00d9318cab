import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@media-gateway/domain';

const EXT_BY_TYPE: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
};
const TYPE_BY_EXT = Object.fromEntries(Object.entries(EXT_BY_TYPE).map(([t, e]) => [e, t]));
const FILE = /^([0-9a-f]{40})\.(jpg|png|webp|svg)$/;

/**
 * Proxied images on disk under the data dir, so a restart does not fetch every poster again. Files
 * are named by a hash of the upstream URL (never by anything a request chose) and written through a
 * temporary file and a rename, so a reader never sees half an image. The oldest files go first once
 * the byte budget is exceeded. Best effort: a disk error is logged and the image fetched again.
 */
export class DiskImageCache {
  /** Hash → file name and size, oldest first. */
  private index: Promise<Map<string, { file: string; size: number }>> | undefined;
  private used = 0;

  constructor(
    private readonly dir: string,
    private readonly budget: number,
    private readonly logger: Logger,
  ) {}

  private load(): Promise<Map<string, { file: string; size: number }>> {
    this.index ??= (async () => {
      await mkdir(this.dir, { recursive: true });
      const found: Array<{ hash: string; file: string; size: number; mtime: number }> = [];
      for (const file of await readdir(this.dir)) {
        const m = FILE.exec(file);
        if (!m) continue;
        const s = await stat(join(this.dir, file)).catch(() => undefined);
        if (s) found.push({ hash: m[1]!, file, size: s.size, mtime: s.mtimeMs });
      }
      found.sort((a, b) => a.mtime - b.mtime);
      this.used = found.reduce((n, f) => n + f.size, 0);
      return new Map(found.map((f) => [f.hash, { file: f.file, size: f.size }]));
    })();
    return this.index;
  }

  private static hash(key: string): string {
    return createHash('sha256').update(key).digest('hex').slice(0, 40);
  }

  async get(key: string): Promise<{ bytes: Buffer; type: string } | undefined> {
    try {
      const entry = (await this.load()).get(DiskImageCache.hash(key));
      if (!entry) return undefined;
      const ext = FILE.exec(entry.file)?.[2] ?? '';
      return { bytes: await readFile(join(this.dir, entry.file)), type: TYPE_BY_EXT[ext]! };
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'image disk cache: read failed');
      return undefined;
    }
  }

  async set(key: string, bytes: Buffer, type: string): Promise<void> {
    const ext = EXT_BY_TYPE[type];
    if (!ext || bytes.length > this.budget) return;
    try {
      const index = await this.load();
      const hash = DiskImageCache.hash(key);
      const file = `${hash}.${ext}`;
      const tmp = join(this.dir, `${file}.${process.pid}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, join(this.dir, file));
      const old = index.get(hash);
      if (old) this.used -= old.size;
      if (old && old.file !== file) await unlink(join(this.dir, old.file)).catch(() => {});
      index.delete(hash);
      index.set(hash, { file, size: bytes.length });
      this.used += bytes.length;
      for (const [oldest, entry] of index) {
        if (this.used <= this.budget) break;
        index.delete(oldest);
        this.used -= entry.size;
        await unlink(join(this.dir, entry.file)).catch(() => {});
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'image disk cache: write failed');
    }
  }
}
