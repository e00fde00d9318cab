import { parseArgs } from 'node:util';
import { UsageError } from '../io.ts';
import type { Command } from './command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the gateway (API, web app, MCP, sync) on http://localhost:3000',
  usage: 'serve [--port N] [--host H] [--role all|api|worker]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' }, role: { type: 'string' } },
      strict: true,
    });
    const overrides: Record<string, unknown> = {};
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be 0-65535, got "${values.port}"`);
      overrides['port'] = port;
    }
    if (values.host !== undefined) overrides['host'] = values.host;
    if (values.role !== undefined) {
      if (!['all', 'api', 'worker'].includes(values.role)) throw new UsageError(`--role must be all, api or worker`);
      overrides['role'] = values.role;
    }
    const { loadConfig, startServer } = await import('@media-gateway/gateway');
    const config = loadConfig(process.env, overrides);
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer(config);
    } catch (error) {
      // A server that cannot start says why in one line and exits: storage, Redis clients and worker threads opened
      // before the failure would otherwise keep the process alive, doing nothing, until someone kills it.
      process.stderr.write(`media-gateway: cannot start: ${startFailure(error, config)}\n`);
      process.exit(1);
    }
    // SIGTERM (orchestrators, `podman stop`) drains with the delay; SIGINT (Ctrl-C) drains at once;
    // a second signal, or a drain past MG_SHUTDOWN_TIMEOUT_SECONDS, exits without waiting.
    const code = await new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          process.stderr.write(`media-gateway: ${signal} again, exiting without finishing the drain\n`);
          process.exit(1);
        }
        stopping = true;
        const limit = setTimeout(() => {
          process.stderr.write(
            `media-gateway: drain took longer than ${config.shutdown.timeoutSeconds} s ` +
              `(MG_SHUTDOWN_TIMEOUT_SECONDS); exiting\n`,
          );
          process.exit(1);
        }, config.shutdown.timeoutSeconds * 1000);
        limit.unref();
        server.close({ delay: signal === 'SIGTERM' }).then(
          () => resolve(0),
          (error: unknown) => {
            process.stderr.write(`media-gateway: error while draining: ${(error as Error).message}\n`);
            resolve(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return code;
  },
};

/** The reason a start failed, in words an operator can act on; the stack only for what we did not foresee. */
export function startFailure(error: unknown, config: { host: string; port: number }): string {
  const e = error as NodeJS.ErrnoException & { hostname?: string };
  if (e?.code === 'EADDRINUSE')
    return `${config.host}:${config.port} is already in use (another server?); choose another with PORT or --port.`;
  if (
    e?.code === 'EADDRNOTAVAIL' ||
    (e?.code === 'ENOTFOUND' && e.syscall === 'getaddrinfo' && e.hostname === config.host)
  )
    return `HOST "${config.host}" is not an address of this machine (${e.code}); use 0.0.0.0, 127.0.0.1 or one of its names.`;
  if (e?.code === 'EACCES' && e.syscall === 'listen')
    return `not allowed to listen on port ${config.port} (below 1024 needs privileges).`;
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'ETIMEDOUT') {
    // Connecting to "localhost" tries every address and fails with an AggregateError whose own message is empty.
    const inner = (e as unknown as { errors?: Error[] }).errors?.map((x) => x.message).join('; ');
    return `a service the server needs did not answer: ${e.message || inner || e.code}. Check DATABASE_URL and REDIS_URL.`;
  }
  // PostgreSQL's own errors (a missing database, a wrong password) carry a SQLSTATE and a severity.
  if (typeof e?.code === 'string' && typeof e === 'object' && 'severity' in e)
    return `PostgreSQL: ${e.message} (${e.code}).`;
  if (e?.code === 'EROFS' || e?.code === 'EACCES' || e?.code === 'EPERM')
    return `cannot write ${e.path ?? 'the data directory'} (${e.code}); check MG_DATA_DIR and its permissions.`;
  if (e instanceof Error && e.name !== 'Error') return e.message;
  return e instanceof Error && /unreachable|must be|cannot|not set|already belongs/i.test(e.message)
    ? e.message
    : String(e?.stack ?? e);
}
