import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Proc, sleep, startProc, waitUntil } from './procs.ts';
import { Socket } from 'node:net';

/** A private redis-server for one cluster (never the machine's shared one), started and stopped by pid. */
export interface RedisHandle {
  readonly port: number;
  readonly url: string;
  pid(): number;
  /** Stops it (SIGTERM; no persistence, so it comes back empty, like the machine's), then starts it again. */
  restart(outageMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(500, () => done(false));
    s.once('error', () => done(false));
    s.once('data', (d) => done(d.toString().startsWith('+PONG')));
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
  });
}

export async function startRedis(port: number): Promise<RedisHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-cluster-redis-'));
  const launch = async (): Promise<Proc> => {
    const p = startProc('redis', 'redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ]);
    await waitUntil(
      async () => {
        if (p.exited()) throw new Error(`redis-server exited:\n${p.output()}`);
        return ping(port);
      },
      `redis-server on ${port}`,
      15_000,
      50,
    ).catch((e) => {
      if (p.exited()) throw new Error(`redis-server on ${port} exited:\n${p.output()}`);
      throw e;
    });
    return p;
  };
  let proc = await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => proc.pid,
    restart: async (outageMs = 1_000) => {
      await proc.stop('SIGTERM');
      await sleep(outageMs);
      proc = await launch();
    },
    stop: async () => {
      await proc.stop('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
