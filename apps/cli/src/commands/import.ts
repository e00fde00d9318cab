import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DomainError } from '@media-gateway/domain';
import { ImportFormatSchema, type ImportSummary } from '@media-gateway/domain/contracts';
import { requireCredentials } from '../credentials.ts';
import { printJson, UsageError } from '../io.ts';
import type { Command } from './command.ts';

// The contract's list, not the catalog's: this command talks HTTP and must not load the catalog (decision 0012).
const IMPORT_FORMATS: readonly string[] = ImportFormatSchema.options;
/** Same cap as the server's (IMPORT_MAX_BYTES): refused here before uploading. */
const MAX_BYTES = 20 * 1024 * 1024;

function line(label: string, n: number, parts: Record<string, number>): string {
  const list = Object.entries(parts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`)
    .join(', ');
  return `  ${label.padEnd(10)} ${String(n).padStart(6)}${list ? `  (${list})` : ''}\n`;
}

/** `media-gateway import <file>`: bring your Letterboxd, IMDb, Trakt or Netflix history to Media Gateway. */
export const importCommand: Command = {
  name: 'import',
  summary: 'Import a Letterboxd, IMDb, Trakt or Netflix export: import <file> [--format F]',
  usage: `import <file> [--format ${IMPORT_FORMATS.join('|')}] [--json] [--url URL]`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { format: { type: 'string' }, json: { type: 'boolean' }, url: { type: 'string' } },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('usage: import <file> [--format F]');
    if (values.format && !IMPORT_FORMATS.includes(values.format))
      throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
    const size = await stat(file).then(
      (s) => (s.isFile() ? s.size : -1),
      () => -1,
    );
    if (size < 0) throw new DomainError('NOT_FOUND', `No such file: ${file}`, { resource: 'file', id: file });
    if (size > MAX_BYTES)
      throw new DomainError('PAYLOAD_TOO_LARGE', `${file} is ${size} bytes; the import limit is ${MAX_BYTES} bytes.`);
    const body = await readFile(file);
    const { url, token } = await requireCredentials(values.url);
    const query = new URLSearchParams({
      filename: basename(file),
      ...(values.format ? { format: values.format } : {}),
    });
    let res: Response;
    try {
      res = await fetch(`${url}/api/me/import?${query}`, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': /\.json$/i.test(file) ? 'application/json' : 'text/csv',
          authorization: `Bearer ${token}`,
        },
        body: new Uint8Array(body),
      });
    } catch (error) {
      throw new DomainError('UPSTREAM_UNAVAILABLE', `Cannot reach the server at ${url}: ${(error as Error).message}`);
    }
    const data = (await res.json().catch(() => ({}))) as ImportSummary & { code?: string; detail?: string };
    if (!res.ok) {
      const code = (
        ['INVALID_INPUT', 'PAYLOAD_TOO_LARGE', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED'].includes(
          data.code ?? '',
        )
          ? data.code
          : 'UPSTREAM_UNAVAILABLE'
      ) as ConstructorParameters<typeof DomainError>[0];
      throw new DomainError(code, data.detail ?? `HTTP ${res.status}`);
    }
    if (values.json) {
      printJson(data);
      return 0;
    }
    const c = data.counts;
    process.stdout.write(`Imported ${data.fileName ?? basename(file)} as ${data.format}: ${c.rows} rows\n`);
    process.stdout.write(line('matched', c.matched, c.how));
    process.stdout.write(line('unmatched', c.unmatched, c.reasons));
    process.stdout.write(
      `  new        ${String(c.imported).padStart(6)}  (${c.events.recorded} ` +
        `feedback events, ${c.watchlist.added} added to your watchlist)\n`,
    );
    process.stdout.write(`  already    ${String(c.alreadyImported).padStart(6)}  (imported before: nothing changed)\n`);
    process.stdout.write(`Report: ${url}${data.links.report} (CSV: ${url}${data.links.csv})\n`);
    return 0;
  },
};
