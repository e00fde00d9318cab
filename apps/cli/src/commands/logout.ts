import { parseArgs } from 'node:util';
import '../auth/register-token-provider.ts';
import { logout } from '../auth/oauth-client.ts';
import { serverUrl } from '../credentials.ts';
import type { Command } from './command.ts';

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Sign this CLI out (revokes its tokens on the server)',
  usage: 'logout [--url http://localhost:3000]',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { url: { type: 'string' } }, strict: true });
    const url = serverUrl(values.url);
    process.stdout.write((await logout(url)) ? `Signed out of ${url}.\n` : `Not signed in to ${url}.\n`);
    return 0;
  },
};
