import { parseArgs } from 'node:util';
import { DomainError, TITLE_ID_PATTERN } from '@media-gateway/domain';
import { apiRequest } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { printJson, UsageError } from '../io.ts';
import type { Command } from './command.ts';
import type { DeviceView } from './devices.ts';

/** `media-gateway send <title> --to <device>`: hand a title off to another device (by id or name). */
export const sendCommand: Command = {
  name: 'send',
  summary: 'Send a title to one of your devices: send <title-id> --to <device> [--at SECONDS] [--platform P]',
  usage: 'send <title-id> --to <device id, name or type> [--at SECONDS] [--platform ID] [--json] [--url URL]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        to: { type: 'string' },
        at: { type: 'string' },
        platform: { type: 'string' },
        json: { type: 'boolean' },
        url: { type: 'string' },
      },
    });
    const titleId = positionals[0];
    if (!titleId || positionals.length > 1 || !TITLE_ID_PATTERN.test(titleId))
      throw new UsageError('usage: send <title-id> --to <device>');
    if (!values.to) throw new UsageError('--to <device id or name> is required');
    const position = values.at === undefined ? undefined : Number(values.at);
    if (position !== undefined && !(Number.isFinite(position) && position >= 0))
      throw new UsageError('--at must be a number of seconds');
    const { url, token } = await requireCredentials(values.url);
    const { devices } = await apiRequest<{ devices: DeviceView[] }>(url, 'GET', '/api/devices', undefined, token);
    const wanted = values.to.toLowerCase();
    let matches = devices.filter((d) => d.id === values.to || d.name.toLowerCase() === wanted);
    // "--to tv": the kind of device, when no device has that id or name.
    if (matches.length === 0) matches = devices.filter((d) => d.type.toLowerCase() === wanted);
    if (matches.length === 0)
      throw new DomainError('NOT_FOUND', `No device "${values.to}". Run "media-gateway devices ls".`);
    if (matches.length > 1)
      throw new UsageError(
        `"${values.to}" names ${matches.length} devices; use a name or id ` +
          `(${matches.map((d) => `"${d.name}" ${d.id}`).join(', ')})`,
      );
    const target = matches[0]!;
    const body = await apiRequest<{
      id: string;
      deliveredLive: boolean;
      link: { url: string; urlKind: string } | null;
    }>(
      url,
      'POST',
      `/api/devices/${target.id}/handoff`,
      {
        titleId,
        ...(position !== undefined ? { position } : {}),
        ...(values.platform ? { platform: values.platform } : {}),
      },
      token,
    );
    if (values.json) printJson(body);
    else {
      const how = body.deliveredLive ? 'delivered now' : 'queued until it comes online';
      const link = body.link
        ? ` (${body.link.urlKind === 'direct' ? 'opens' : 'search page'}: ${body.link.url})`
        : ' (no streaming offer known)';
      process.stdout.write(`Sent ${titleId} to ${target.name}: ${how}${link}.\n`);
    }
    return 0;
  },
};
