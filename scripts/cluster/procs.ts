import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A free TCP port on loopback (bound, read, released: the caller binds it next). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it is true; throws naming `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 100,
): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A child process we started: its pid, its last output, and a bounded stop. */
export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  exited(): boolean;
  output(): string;
  /** Sends `signal`, waits up to `timeoutMs` for the exit, then SIGKILL (by this pid only). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  /** Resolves with the exit code (or null after a signal) once the process has exited. */
  exit: Promise<number | null>;
}

export function startProc(name: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv, cwd?: string): Proc {
  const child = spawn(cmd, args, { env: env ?? process.env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  let out = '';
  const append = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let done = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    name,
    child,
    pid: child.pid,
    exit,
    exited: () => done,
    output: () => out,
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      if (done) return exit;
      // A stopped (SIGSTOP) process would not act on SIGTERM: continue it first.
      try {
        process.kill(child.pid!, 'SIGCONT');
        process.kill(child.pid!, signal);
      } catch {
        return exit;
      }
      const hard = setTimeout(() => {
        if (!done) child.kill('SIGKILL');
      }, timeoutMs);
      const code = await exit;
      clearTimeout(hard);
      return code;
    },
  };
}

/** Runs a command to completion (without blocking the event loop); rejects with its output when it fails. */
export function run(
  cmd: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { env: options.env ?? process.env, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${cmd} ${args.join(' ')} failed (${error.message}):\n${stdout}${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** Sends `text` to a TCP or unix socket and returns everything read until the peer closes. */
export function askSocket(target: { port: number; host?: string } | { path: string }, text: string, timeoutMs = 2_000) {
  return new Promise<string>((resolve, reject) => {
    const socket = new Socket();
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('socket timeout'));
    }, timeoutMs);
    socket.on('data', (d) => {
      data += d.toString();
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
    const onConnect = () => socket.write(text);
    if ('path' in target) socket.connect(target.path, onConnect);
    else socket.connect(target.port, target.host ?? '127.0.0.1', onConnect);
  });
}
