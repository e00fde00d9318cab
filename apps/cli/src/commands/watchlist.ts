import { parseArgs } from 'node:util';
import { TITLE_ID_PATTERN } from '@media-gateway/domain';
import { apiRequest } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { printJson, printTable, UsageError } from '../io.ts';
import type { Command } from './command.ts';

interface Item {
  titleId: string;
  /** Null when the title has since left the catalog. */
  title: string | null;
  year: number | null;
  type: 'movie' | 'series' | null;
  addedAt: string;
  progress: { positionSeconds: number; durationSeconds: number | null } | null;
  watched: boolean;
}

/** `media-gateway watchlist ls|add|rm`: the same list every device syncs, over the REST API. */
export const watchlistCommand: Command = {
  name: 'watchlist',
  summary: 'Your watchlist: ls, add <title-id>, rm <title-id>',
  usage: 'watchlist ls [--json] | watchlist add <title-id> | watchlist rm <title-id>   [--url URL]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, url: { type: 'string' } },
      strict: true,
    });
    const [sub, id, ...rest] = positionals;
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const { url, token } = await requireCredentials(values.url);
    if (sub === 'ls' || sub === undefined) {
      const body = await apiRequest<{ items: Item[] }>(url, 'GET', '/api/watchlist', undefined, token);
      if (values.json) printJson(body);
      else if (body.items.length === 0) process.stdout.write('Your watchlist is empty.\n');
      else
        printTable(
          body.items.map((i) => ({
            id: i.titleId,
            title: i.title ? `${i.title}${i.year ? ` (${i.year})` : ''}` : '(no longer in the catalog)',
            added: i.addedAt.slice(0, 10),
            watched: i.watched ? 'yes' : '',
            progress: i.progress
              ? `${Math.round(i.progress.positionSeconds / 60)} min` +
                `${i.progress.durationSeconds ? ` of ${Math.round(i.progress.durationSeconds / 60)}` : ''}`
              : '',
          })),
          ['id', 'title', 'added', 'progress', 'watched'],
        );
      return 0;
    }
    if (sub !== 'add' && sub !== 'rm') throw new UsageError(`unknown subcommand "${sub}"; use ls, add or rm`);
    if (!id || !TITLE_ID_PATTERN.test(id))
      throw new UsageError(`usage: watchlist ${sub} <title-id> (mg_ followed by 12 letters/digits)`);
    if (sub === 'add') await apiRequest(url, 'POST', '/api/watchlist', { titleId: id }, token);
    else await apiRequest(url, 'DELETE', `/api/watchlist/${id}`, undefined, token);
    process.stdout.write(sub === 'add' ? `Added ${id} to your watchlist.\n` : `Removed ${id} from your watchlist.\n`);
    return 0;
  },
};
