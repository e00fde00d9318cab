import { parseArgs } from 'node:util';
import { apiRequest } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { printJson, printTable, UsageError } from '../io.ts';
import type { Command } from './command.ts';

export interface DeviceView {
  id: string;
  name: string;
  type: string;
  online: boolean;
  lastSeen: string | null;
}

/** `media-gateway devices ls`: the devices that sync your watchlist. */
export const devicesCommand: Command = {
  name: 'devices',
  summary: 'Your devices and whether they are online: ls',
  usage: 'devices ls [--json] [--url URL]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, url: { type: 'string' } },
      strict: true,
    });
    if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== 'ls'))
      throw new UsageError('usage: devices ls [--json]');
    const { url, token } = await requireCredentials(values.url);
    const body = await apiRequest<{ devices: DeviceView[] }>(url, 'GET', '/api/devices', undefined, token);
    if (values.json) printJson(body);
    else if (body.devices.length === 0)
      process.stdout.write('No devices yet: a device appears once it connects to sync.\n');
    else
      printTable(
        body.devices.map((d) => ({ ...d, online: d.online ? 'online' : '', lastSeen: d.lastSeen ?? '' })),
        ['id', 'name', 'type', 'online', 'lastSeen'],
      );
    return 0;
  },
};
