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
    const server = await startServer(config);
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
