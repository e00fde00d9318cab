import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * `parseArgs` for the evaluation, benchmark and fuzz scripts. Each script's usage is its header comment, so
 * `--help` (or `-h`) prints that comment and exits 0; an unknown or malformed option is one line on stderr and
 * exit 2, where a bare `parseArgs` threw a stack trace (ERR_PARSE_ARGS_UNKNOWN_OPTION).
 */
export function scriptArgs<const T extends ParseArgsConfig>(
  scriptUrl: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  const name = basename(fileURLToPath(scriptUrl));
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usageOf(scriptUrl) ?? `${name}: no usage is written in its header comment`}\n`);
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)} (--help for usage)\n`);
    process.exit(2);
  }
}

/** The text of a script's leading `/** … *\/` comment, without its comment markers. */
export function usageOf(scriptUrl: string): string | undefined {
  const source = readFileSync(fileURLToPath(scriptUrl), 'utf8');
  const block = /^(?:#![^\n]*\n)?\s*\/\*\*([\s\S]*?)\*\//.exec(source)?.[1];
  if (!block) return undefined;
  return block
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}
