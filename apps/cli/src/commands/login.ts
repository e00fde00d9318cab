import { parseArgs } from 'node:util';
import '../auth/register-token-provider.ts';
import { deviceLogin } from '../auth/oauth-client.ts';
import { tokenFile } from '../auth/token-store.ts';
import { serverUrl } from '../credentials.ts';
import { UsageError } from '../io.ts';
import type { Command } from './command.ts';

export const loginCommand: Command = {
  name: 'login',
  summary: 'Sign in with a code you approve in the browser (device flow)',
  usage: 'login [--url http://localhost:3000] [--scope "catalog:read watchlist:write …"]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { url: { type: 'string' }, scope: { type: 'string' } },
      strict: true,
    });
    if (values.scope !== undefined && !/^[a-z:]+( [a-z:]+)*$/.test(values.scope.trim()))
      throw new UsageError('--scope is a space-separated list such as "catalog:read watchlist:write"');
    const url = serverUrl(values.url);
    const tokens = await deviceLogin({
      url,
      scope: values.scope,
      show: (i) => {
        process.stdout.write(`To sign in, open ${i.verificationUri} and enter the code:\n\n    ${i.userCode}\n\n`);
        if (i.verificationUriComplete) process.stdout.write(`(or open ${i.verificationUriComplete})\n`);
        process.stdout.write(`Waiting for approval (the code expires in ${Math.round(i.expiresIn / 60)} minutes)…\n`);
      },
    });
    process.stdout.write(`Signed in to ${url} with scopes: ${tokens.scope}. Tokens saved in ${tokenFile()}.\n`);
    return 0;
  },
};
