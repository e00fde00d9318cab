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
  usage: 'whoami [--url http://localhost:3000] [--json] [--token]   (--token prints the access token, for curl)',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, json: { type: 'boolean' }, token: { type: 'boolean' } },
      strict: true,
    });
    const { url, token } = await requireCredentials(values.url);
    const me = await apiGet<UserInfo>(url, '/auth/userinfo', token);
    // TOKEN=$(media-gateway whoami --token): the signed-in token (refreshed when due), checked first, for curl.
    if (values.token) {
      process.stdout.write(`${token}\n`);
      return 0;
    }
    if (values.json) printJson(me);
    else
      process.stdout.write(
        `${me.displayName ?? me.email ?? me.id} (${me.id})${me.isAdmin ? ' — administrator' : ''}\n` +
          `  server: ${url}\n  scopes: ${me.scopes.join(' ')}\n`,
      );
    return 0;
  },
};
