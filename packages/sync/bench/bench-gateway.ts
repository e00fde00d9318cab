/**
 * bench:sync helpers: real `media-gateway serve` processes (so the clients and the server never
 * share an event loop), tokens minted with the keys those processes load, memory readings.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTokenService } from '@media-gateway/auth';
import { createDb } from '@media-gateway/db';

export const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const ISSUER = 'http://bench.local';
const START_TIMEOUT_MS = 90_000;

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
}

export interface BenchGateway {
  child: ChildProcess;
  ws: string;
  /** Full GC in the gateway, then its memory (memory-probe.cjs). */
  memory(): Promise<MemoryReading>;
  stop(): Promise<void>;
}

export interface ServeOptions {
  env: Record<string, string>;
  /** Write a V8 CPU profile of the gateway into this directory when it stops. */
  profileDir?: string;
}

/** Starts a gateway on a random loopback port; resolves on its "listening" log line (bounded wait). */
export async function serve(options: ServeOptions): Promise<BenchGateway> {
  const nodeArgs = ['--expose-gc', '--require', join(import.meta.dirname, 'memory-probe.cjs')];
  if (options.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  // --role api: no ingestion or retraining worker competing for the CPU while we time sync.
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      join(ROOT, 'apps/cli/bin/media-gateway.js'),
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--role',
      'api',
    ],
    {
      cwd: ROOT,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let tail = '';
  const memoryWaiters: Array<(m: MemoryReading) => void> = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    for (const m of text.matchAll(/MG_BENCH_MEMORY (\{[^\n]+\})/g))
      memoryWaiters.shift()?.(JSON.parse(m[1]!) as MemoryReading);
    tail = (tail + text).slice(-8_000);
  });
  const http = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`gateway not listening after ${START_TIMEOUT_MS / 1000} s:\n${tail}`));
    }, START_TIMEOUT_MS);
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out = (out + b.toString()).slice(-8_000);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`gateway exited ${code}:\n${out}${tail}`));
    });
  });
  return {
    child,
    ws: `${http.replace(/^http/, 'ws')}/sync`,
    memory: () =>
      new Promise<MemoryReading>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error('no memory reading from the gateway')), 10_000);
        memoryWaiters.push((m) => {
          clearTimeout(timer);
          ok(m);
        });
        child.kill('SIGUSR2');
      }),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const hard = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(hard);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The gateway's environment: ours plus `extra`, but storage and bus only from `extra`, so the
 * PGlite gateway does not pick up the DATABASE_URL / REDIS_URL meant for the two-process phase
 * (it then rejected every token minted in its own PGlite).
 */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MG_PUBLIC_URL: ISSUER, LOG_LEVEL: 'info', MG_SAMPLE_CATALOG: 'off' };
  delete env['DATABASE_URL'];
  delete env['REDIS_URL'];
  delete env['MG_DATA_DIR'];
  return { ...env, ...extra };
}

/** Access tokens for `users` bench users, signed with the keys stored in that database. */
export async function mintTokens(
  dbOptions: { dataDir?: string; databaseUrl?: string },
  userIds: string[],
): Promise<string[]> {
  const db = await createDb(dbOptions);
  try {
    const svc = await createTokenService(db, { issuer: ISSUER });
    const out: string[] = [];
    for (const userId of userIds) {
      out.push(
        (
          await svc.issueAccessToken({
            userId,
            clientId: 'bench',
            scopes: ['watchlist:read', 'watchlist:write'],
            ttlSeconds: 900,
          })
        ).token,
      );
    }
    return out;
  } finally {
    await db.close();
  }
}

/** This process's soft limit on open files: each device costs one here and one in a gateway. */
export function openFileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m || m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
}
