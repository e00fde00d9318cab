import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTokenService, type Scope } from '@media-gateway/auth';
import { createDb } from '@media-gateway/db';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
export const ISSUER = 'http://sync-test.local';

export interface GatewayProcess {
  child: ChildProcess;
  http: string;
  ws: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs the real `media-gateway serve --port 0` and waits for its "listening" log line. */
export async function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'apps/cli/bin/media-gateway.js'), 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, MG_PUBLIC_URL: ISSUER, LOG_LEVEL: 'info', MG_SAMPLE_CATALOG: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const http = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited with ${code}:\n${out}`)); });
  });
  return {
    child, http, ws: `${http.replace(/^http/, 'ws')}/sync`,
    stop: (signal = 'SIGTERM') => new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    }),
  };
}

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mg-sync-'));
}

/** Mints tokens with the keys the gateway will load from the same database. */
export async function mintTokens(dbOptions: { dataDir?: string; databaseUrl?: string }, userId: string, scopes: Scope[]): Promise<string> {
  const db = await createDb(dbOptions);
  try {
    const tokens = await createTokenService(db, { issuer: ISSUER });
    return (await tokens.issueAccessToken({ userId, clientId: 'sync-test', scopes, ttlSeconds: 600 })).token;
  } finally {
    await db.close();
  }
}
