import { parseArgs } from 'node:util';
import { loadConfig, startServer } from '@media-gateway/gateway';
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
    const config = loadConfig(process.env, overrides);
    const server = await startServer(config);
    await new Promise<void>((resolve) => {
      const stop = async () => {
        await server.close();
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
