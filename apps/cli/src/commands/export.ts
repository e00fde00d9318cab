import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { closeBackend, openBackend } from '../backend.ts';
import { UsageError } from '../io.ts';
import type { Command } from './command.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export the canonical catalog as JSONL (re-importable with ingest)',
  usage: 'export --format jsonl [--out FILE]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { format: { type: 'string' }, out: { type: 'string' } },
      strict: true,
    });
    if ((values.format ?? 'jsonl') !== 'jsonl') throw new UsageError('only --format jsonl is supported');
    const { exportJsonl } = await import('@media-gateway/catalog');
    const backend = await openBackend({ needWrite: true, existing: true });
    if (backend.kind !== 'db') throw new UsageError('export needs direct database access');
    const out = values.out ? createWriteStream(values.out) : process.stdout;
    let n = 0;
    try {
      for await (const line of exportJsonl(backend.db)) {
        if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
        n++;
      }
    } finally {
      await closeBackend(backend);
      if (values.out) await new Promise<void>((r) => (out as ReturnType<typeof createWriteStream>).end(() => r()));
    }
    if (values.out) process.stderr.write(`exported ${n} titles to ${values.out}\n`);
    return 0;
  },
};
