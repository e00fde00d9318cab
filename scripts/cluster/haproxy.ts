import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { askSocket, type Proc, startProc, waitUntil } from './procs.ts';

export interface HaproxyServer {
  name: string;
  port: number;
}

/**
 * The load balancer in front of the API replicas (decision 0013): round robin, no stickiness;
 * a replica is in rotation while `GET /readyz` answers 200 (checked every 500 ms, out after 2
 * failures, back after 2 successes), so a draining replica (503 at once on SIGTERM) leaves the
 * rotation before it stops listening. WebSockets (/sync) pass through (`timeout tunnel 1h`).
 * Failed attempts are retried up to 3 times on another replica (`option redispatch`): a refused
 * connection always (nothing was sent); an empty response, a response timeout or a 503 only for
 * requests safe to replay. HAProxy 2.6 replays *any* method on those by default (measured: a POST
 * answered 503 is sent again), so `disable-l7-retry` limits it to idempotent methods and the POSTs
 * that are idempotent by design (search, watchlist add, events by client id, MCP JSON-RPC);
 * sign-in and token POSTs are never replayed.
 * Idle client connections are kept 60 s, longer than clients keep them (Node's fetch: 4 s), so the client
 * always closes first: a request sent on a connection HAProxy closed at that moment failed ("fetch failed")
 * once in a soak on a loaded machine, where the client's own 4 s timer ran late.
 * Each response names the replica that served it in `x-mg-server`.
 */
export function haproxyConfig(options: { port: number; servers: HaproxyServer[]; statsSocket: string }): string {
  return `global
  maxconn 4096
  stats socket ${options.statsSocket} mode 600 level admin

defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 15s
  timeout http-request 10s
  timeout http-keep-alive 60s
  timeout tunnel 1h
  timeout check 1s
  retries 3
  option redispatch 1
  retry-on conn-failure empty-response response-timeout 503

frontend gateway
  bind 127.0.0.1:${options.port}
  default_backend api

backend api
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  acl replayable method GET HEAD OPTIONS PUT DELETE
  acl idempotent_post path /api/search /api/watchlist /api/events /mcp
  http-request disable-l7-retry if !replayable !idempotent_post
  http-response set-header x-mg-server %[srv_name]
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
${options.servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`).join('\n')}
`;
}

export interface HaproxyHandle {
  readonly port: number;
  readonly url: string;
  readonly configPath: string;
  pid(): number;
  /** Each server's state as HAProxy sees it now (`UP`, `DOWN`, `UP 1/2`…). */
  states(): Promise<Record<string, string>>;
  waitState(server: string, state: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startHaproxy(dir: string, port: number, servers: HaproxyServer[]): Promise<HaproxyHandle> {
  const statsSocket = join(dir, 'haproxy.sock');
  const configPath = join(dir, 'haproxy.cfg');
  await writeFile(configPath, haproxyConfig({ port, servers, statsSocket }));
  // -db: stay in the foreground, so the pid we hold is the one that serves.
  const proc: Proc = startProc('haproxy', 'haproxy', ['-db', '-f', configPath]);
  const states = async (): Promise<Record<string, string>> => {
    const csv = await askSocket({ path: statsSocket }, 'show stat\n');
    const lines = csv.split('\n').filter((l) => l && !l.startsWith('#'));
    const out: Record<string, string> = {};
    for (const line of lines) {
      const cols = line.split(',');
      if (cols[0] === 'api' && cols[1] && cols[1] !== 'BACKEND') out[cols[1]] = cols[17] ?? '';
    }
    return out;
  };
  await waitUntil(
    async () => {
      if (proc.exited()) throw new Error('exited');
      return Object.keys(await states()).length === servers.length;
    },
    'HAProxy to start',
    15_000,
  ).catch((e) => {
    throw new Error(`${(e as Error).message}\n${proc.output()}`);
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    configPath,
    pid: () => proc.pid,
    states,
    waitState: (server, state, timeoutMs = 20_000) =>
      waitUntil(async () => (await states())[server] === state, `HAProxy to see ${server} ${state}`, timeoutMs, 100),
    stop: async () => {
      await proc.stop('SIGTERM', 5_000);
    },
  };
}
