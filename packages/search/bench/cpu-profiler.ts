import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * Starts V8's sampling profiler in this process (for the bench tools' `--profile <file>`); the returned
 * function stops it and writes the .cpuprofile (`profile-summary.mjs` summarises it). Without a file, a no-op.
 */
export async function startCpuProfile(file: string | undefined, intervalUs: number): Promise<() => Promise<void>> {
  if (!file) return async () => {};
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}
