import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { apiRequest } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { UsageError } from '../io.ts';
import type { Command } from './command.ts';

/** `media-gateway me export`: everything the server holds about you, as one JSON document. */
export const meCommand: Command = {
  name: 'me',
  summary: 'Your own data: export (everything held about you, as JSON)',
  usage: 'me export [--out FILE] [--url URL]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string' }, url: { type: 'string' } },
      strict: true,
    });
    if (positionals.length !== 1 || positionals[0] !== 'export') throw new UsageError('usage: me export [--out FILE]');
    const { url, token } = await requireCredentials(values.url);
    const body = await apiRequest<Record<string, unknown>>(url, 'GET', '/api/me/export', undefined, token);
    const text = `${JSON.stringify(body, null, 2)}\n`;
    if (values.out) {
      await writeFile(values.out, text, { mode: 0o600 });
      process.stderr.write(`wrote ${values.out} (${text.length} bytes)\n`);
    } else process.stdout.write(text);
    return 0;
  },
};
