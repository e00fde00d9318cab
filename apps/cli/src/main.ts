import { isDomainError } from '@media-gateway/domain';
import { COMMANDS } from './commands/index.ts';
import { exitCodeFor, UsageError } from './io.ts';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'media-gateway — one door to every streaming catalog',
    '',
    'Usage: media-gateway <command> [options]   (--json on read commands prints machine-readable output)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "media-gateway help <command>" for a command\'s options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    process.stdout.write(`${cmd ? `usage: media-gateway ${cmd.usage}` : help()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}". Run "media-gateway help".`);
  return command.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // The gateway (where ConfigError lives) is imported only by commands that need it (decision 0012):
  // a ConfigError can only come from it, so it is already loaded whenever this is one.
  const configError =
    (error as Error | undefined)?.name === 'ConfigError' &&
    error instanceof (await import('@media-gateway/gateway')).ConfigError;
  const message = configError
    ? (error as Error).message.replace(/:\n\s*/, ': ').replace(/\n\s*/g, '; ')
    : isDomainError(error) || error instanceof UsageError || (error as Error | undefined)?.name === 'DataDirInUseError'
      ? (error as Error).message
      : (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
        ? (error as Error).message
        : `unexpected error: ${(error as Error)?.stack ?? String(error)}`;
  process.stderr.write(`media-gateway: ${message}\n`);
  process.exitCode =
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') || configError ? 2 : exitCodeFor(error);
}
