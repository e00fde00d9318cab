import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ReplicaStorage } from './replica-storage.ts';

/** Node replica storage (CLI, tests): one file, replaced atomically so a crash never leaves half a state. */
export function fileStorage(path: string): ReplicaStorage {
  return {
    async load() {
      try {
        return new Uint8Array(await readFile(path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async save(state) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, state);
      await rename(tmp, path);
    },
  };
}
