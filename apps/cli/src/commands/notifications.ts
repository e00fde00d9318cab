import { parseArgs } from 'node:util';
import type { NotificationList } from '@media-gateway/domain/contracts';
import { apiRequest } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { printJson, UsageError } from '../io.ts';
import type { Command } from './command.ts';

const ID = /^ntf_[A-Za-z0-9_-]{1,40}$/;

/** `media-gateway notifications`: the availability alerts sent in-app (the same list the web app's bell shows). */
export const notificationsCommand: Command = {
  name: 'notifications',
  summary: 'Your availability alerts: ls [--unread], read <id> | read --all',
  usage: 'notifications [ls] [--unread] [--limit N] [--json] | notifications read <id> | notifications read --all',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        unread: { type: 'boolean' },
        all: { type: 'boolean' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        url: { type: 'string' },
      },
      strict: true,
    });
    const [sub = 'ls', id, ...rest] = positionals;
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (sub === 'read') {
      if (values.all === (id !== undefined)) throw new UsageError('usage: notifications read <id> | read --all');
      if (values.unread || values.limit !== undefined || values.json)
        throw new UsageError('--unread, --limit and --json go with "notifications ls", not "read"');
      if (id !== undefined && !ID.test(id)) throw new UsageError(`"${id}" is not a notification id (ntf_…)`);
      const { url, token } = await requireCredentials(values.url);
      if (id) {
        await apiRequest(url, 'POST', `/api/me/notifications/${id}/read`, undefined, token);
        process.stdout.write(`Marked ${id} read.\n`);
      } else {
        const { marked } = await apiRequest<{ marked: number }>(
          url,
          'POST',
          '/api/me/notifications/read-all',
          undefined,
          token,
        );
        process.stdout.write(`Marked ${marked} notification${marked === 1 ? '' : 's'} read.\n`);
      }
      return 0;
    }
    if (sub !== 'ls') throw new UsageError(`unknown subcommand "${sub}"; use ls or read`);
    if (id !== undefined) throw new UsageError(`unexpected argument "${id}"`);
    if (values.all) throw new UsageError('--all goes with "notifications read"');
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      throw new UsageError('--limit must be a whole number from 1 to 200');
    const { url, token } = await requireCredentials(values.url);
    const query = new URLSearchParams({ limit: String(limit), ...(values.unread ? { unread: 'true' } : {}) });
    const body = await apiRequest<NotificationList>(url, 'GET', `/api/me/notifications?${query}`, undefined, token);
    if (values.json) printJson(body);
    else if (body.items.length === 0)
      process.stdout.write(
        values.unread
          ? 'No unread notifications.\n'
          : 'No notifications yet: watchlist a title to hear when it arrives on a service or is about to leave.\n',
      );
    else {
      // Lines, not a table: the subject is the message and must not be cut.
      const lines = [`${body.unread} unread`];
      for (const n of body.items)
        lines.push(
          `${n.readAt ? '   ' : 'new'}  ${n.createdAt.slice(0, 16).replace('T', ' ')} UTC  ${n.subject}`,
          `     ${n.id}${n.titleId ? `  title ${n.titleId}` : ''}`,
        );
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  },
};
