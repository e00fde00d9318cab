import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Proc, startProc, waitUntil } from './procs.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'apps/cli/bin/media-gateway.js');
const START_TIMEOUT_MS = 90_000;

/** One `media-gateway serve --role api|worker` process on a fixed port, restartable on the same port. */
export interface GatewayHandle {
  readonly name: string;
  readonly role: 'api' | 'worker';
  readonly port: number;
  readonly url: string;
  pid(): number | undefined;
  running(): boolean;
  /** Starts the process and waits until it answers /healthz. */
  start(): Promise<void>;
  /** Signals it; resolves once it exited (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
  output(): string;
}

export function gateway(options: {
  name: string;
  role: 'api' | 'worker';
  port: number;
  env: Record<string, string>;
}): GatewayHandle {
  const url = `http://127.0.0.1:${options.port}`;
  let proc: Proc | undefined;
  let dataDir: string | undefined;
  let previous = '';
  return {
    name: options.name,
    role: options.role,
    port: options.port,
    url,
    pid: () => proc?.pid,
    running: () => !!proc && !proc.exited(),
    output: () => previous + (proc?.output() ?? ''),
    start: async () => {
      dataDir ??= await mkdtemp(join(tmpdir(), `mg-cluster-${options.name}-`));
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const k of ['DATABASE_URL', 'REDIS_URL', 'MG_DATA_DIR']) delete env[k];
      if (proc) previous = `${previous}${proc.output()}\n--- restart ---\n`.slice(-10_000);
      const p = startProc(
        options.name,
        process.execPath,
        [BIN, 'serve', '--port', String(options.port), '--host', '127.0.0.1', '--role', options.role],
        // Replicas on one host scale by their number, as the Kubernetes API pods do: no search worker threads, whose
        // second copy of the index each would only compete for the same cores (decision 0124).
        { ...env, MG_DATA_DIR: dataDir, MG_SEARCH_WORKERS: '0', ...options.env },
        ROOT,
      );
      proc = p;
      await waitUntil(
        async () => {
          if (p.exited()) return true;
          return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
        },
        `${options.name} to answer /healthz`,
        START_TIMEOUT_MS,
        100,
      );
      if (p.exited()) throw new Error(`${options.name} exited at start:\n${p.output()}`);
    },
    stop: async (signal = 'SIGTERM', timeoutMs = 20_000) => (proc ? proc.stop(signal, timeoutMs) : null),
    signal: (signal) => {
      if (proc && !proc.exited()) process.kill(proc.pid, signal);
    },
  };
}
