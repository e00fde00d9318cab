import { parseArgs } from 'node:util';
import '../auth/register-token-provider.ts';
import { apiGet } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { printJson } from '../io.ts';
import type { Command } from './command.ts';

interface UserInfo {
  id: string;
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  identities: string[];
  clientId: string;
  scopes: string[];
}

export const whoamiCommand: Command = {
  name: 'whoami',
  summary: 'Show who this CLI is signed in as, and with which scopes',
  usage: 'whoami [--url http://localhost:3000] [--json]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    });
    const { url, token } = await requireCredentials(values.url);
    const me = await apiGet<UserInfo>(url, '/auth/userinfo', token);
    if (values.json) printJson(me);
    else
      process.stdout.write(
        `${me.displayName ?? me.email ?? me.id} (${me.id})${me.isAdmin ? ' — administrator' : ''}\n` +
          `  server: ${url}\n  scopes: ${me.scopes.join(' ')}\n`,
      );
    return 0;
  },
};
