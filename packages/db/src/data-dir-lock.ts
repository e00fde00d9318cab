import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Embedded PGlite must be opened by one process at a time. The owner writes a lock file with its
 * pid (and, for a server, its URL) so other commands can talk to it over HTTP instead.
 */
export interface LockInfo {
  pid: number;
  url?: string;
  startedAt: string;
}

const lockPath = (dataDir: string) => join(dataDir, 'mg.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live owner of the data directory, if another process holds it. */
export async function readLock(dataDir: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(lockPath(dataDir), 'utf8')) as LockInfo;
    if (info.pid !== process.pid && isAlive(info.pid)) return info;
  } catch {
    // no lock or unreadable: free
  }
  return undefined;
}

/** Another live process holds the data directory: an expected state, reported to the person as it is. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

export async function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'> = {}): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const owner = await readLock(dataDir);
  if (owner) {
    throw new DataDirInUseError(
      `The data directory ${dataDir} is in use by process ${owner.pid}${owner.url ? ` (${owner.url})` : ''}. ` +
        `Stop it, or point this command at it with --url.`,
    );
  }
  await writeFile(
    lockPath(dataDir),
    JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), ...info }),
  );
}

export async function updateLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): Promise<void> {
  const current = JSON.parse(await readFile(lockPath(dataDir), 'utf8')) as LockInfo;
  await writeFile(lockPath(dataDir), JSON.stringify({ ...current, ...info }));
}

export async function releaseLock(dataDir: string): Promise<void> {
  try {
    const info = JSON.parse(await readFile(lockPath(dataDir), 'utf8')) as LockInfo;
    if (info.pid === process.pid) await rm(lockPath(dataDir));
  } catch {
    // already gone
  }
}
