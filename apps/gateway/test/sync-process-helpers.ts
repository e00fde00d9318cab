import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTokenService, type Scope } from '@media-gateway/auth';
import { createDb } from '@media-gateway/db';
import pg from 'pg';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const ISSUER = 'http://sync-test.local';
/** Bounded wait for the "listening" line: a slow start under load fails with the output, never hangs the suite. */
const START_TIMEOUT_MS = 75_000;

export interface GatewayProcess {
  child: ChildProcess;
  http: string;
  ws: string;
  /** Everything the process wrote so far (last 20 kB), for failure messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs the real `media-gateway serve --port 0 --role api` and waits for its "listening" log line.
 * Storage and bus come only from `env` (never inherited), so a test picks PGlite or PostgreSQL
 * and Redis explicitly. `--role api`: no ingestion or retraining worker competing for the CPU.
 */
export async function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    MG_PUBLIC_URL: ISSUER,
    LOG_LEVEL: 'info',
    MG_SAMPLE_CATALOG: 'off',
    // Load and fault tests drive one user hard; the API budgets are tested in api-rate-limit.test.ts.
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
  };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'MG_DATA_DIR']) delete base[k];
  const child = spawn(
    process.execPath,
    [join(ROOT, 'apps/cli/bin/media-gateway.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--role', 'api'],
    {
      cwd: ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stderr!.on('data', append);
  const http = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start within ${START_TIMEOUT_MS / 1000} s:\n${out}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      append(chunk);
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code ?? signal}:\n${out}`));
    });
  });
  return {
    child,
    http,
    ws: `${http.replace(/^http/, 'ws')}/sync`,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(hard);
          done();
        });
        child.kill(signal);
      }),
  };
}

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mg-sync-'));
}

/** A fresh PostgreSQL database (several processes share it, so a schema per test is not enough). */
export async function tempDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env['DATABASE_URL']!;
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Mints tokens with the keys the gateway will load from the same database. */
export async function mintTokens(
  dbOptions: { dataDir?: string; databaseUrl?: string },
  userId: string,
  scopes: Scope[],
): Promise<string> {
  const db = await createDb(dbOptions);
  try {
    const tokens = await createTokenService(db, { issuer: ISSUER });
    return (await tokens.issueAccessToken({ userId, clientId: 'sync-test', scopes, ttlSeconds: 600 })).token;
  } finally {
    await db.close();
  }
}

/** Rejects after `ms` with `what` in the message, so a stuck wait fails fast and says where. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
