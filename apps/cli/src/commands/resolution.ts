import { parseArgs } from 'node:util';
import { TITLE_ID_PATTERN } from '@media-gateway/domain';
import { apiRequest, closeBackend, openBackend } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { printJson, printTable, UsageError } from '../io.ts';
import type { Command } from './command.ts';

export const resolutionCommand: Command = {
  name: 'resolution',
  summary: 'Review entity-resolution merges and override them (overrides survive re-ingestion)',
  usage:
    'resolution ls [--below 0.9] [--limit N] [--json] | resolution show <titleId> [--json] ' +
    '| resolution override <source> <key> (--split | --into <titleId>) [--note TEXT]   [--url URL]',
  async run(argv) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        below: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        split: { type: 'boolean' },
        into: { type: 'string' },
        note: { type: 'string' },
        url: { type: 'string' },
      },
      strict: true,
    });
    if (sub !== 'ls' && sub !== 'show' && sub !== 'override') throw new UsageError(`usage: ${this.usage}`);
    let maxConfidence: number | undefined;
    if (values.below !== undefined) {
      maxConfidence = Number(values.below);
      if (!(maxConfidence >= 0 && maxConfidence <= 1)) throw new UsageError('--below must be a number from 0 to 1');
    }
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError('--limit must be 1-10000');
    if (sub === 'show' && !TITLE_ID_PATTERN.test(positionals[0] ?? ''))
      throw new UsageError('usage: resolution show <titleId>');
    if (sub === 'override') {
      if (positionals.length !== 2)
        throw new UsageError('usage: resolution override <source> <key> (--split | --into <titleId>)');
      if (!!values.split === !!values.into) throw new UsageError('give exactly one of --split or --into <titleId>');
      if (values.into && !TITLE_ID_PATTERN.test(values.into))
        throw new UsageError(`"${values.into}" is not a title id`);
    }
    const { listMerges, overrideResolution } = await import('@media-gateway/catalog');
    // A running gateway answers (the admin API, with the login's token); else the database directly.
    const backend = await openBackend({ url: values.url });
    if (backend.kind === 'http') {
      const { token } = await requireCredentials(backend.url);
      const print = (merges: Array<Record<string, unknown>>) =>
        printTable(
          merges.map((m) => ({ ...m, record: `${m['source']}/${m['sourceKey']}` })),
          ['titleId', 'title', 'record', 'method', 'confidence', 'reason', 'override'],
        );
      if (sub === 'override') {
        const result = await apiRequest<{ titleId: string; previousTitleId: string }>(
          backend.url,
          'POST',
          '/api/admin/resolution/override',
          {
            source: positionals[0]!,
            sourceKey: positionals[1]!,
            action: values.split ? 'split' : 'merge',
            ...(values.into ? { targetTitleId: values.into } : {}),
            ...(values.note ? { note: values.note } : {}),
          },
          token,
        );
        if (values.json) printJson(result);
        else
          process.stdout.write(
            `${positionals[0]}/${positionals[1]} now belongs to ${result.titleId} ` +
              `(was ${result.previousTitleId}); the override is kept for future ingests.\n`,
          );
        return 0;
      }
      if (limit > 500) throw new UsageError('--limit is at most 500 through a gateway');
      const query = new URLSearchParams({
        below: String(maxConfidence ?? 1),
        limit: String(limit),
        ...(sub === 'show' ? { titleId: positionals[0]! } : {}),
      });
      const body = await apiRequest<{ items: Array<Record<string, unknown>> }>(
        backend.url,
        'GET',
        `/api/admin/resolution?${query}`,
        undefined,
        token,
      );
      if (values.json) printJson({ merges: body.items });
      else print(body.items);
      return 0;
    }
    try {
      if (sub === 'override') {
        const result = await overrideResolution(backend.db, {
          source: positionals[0]!,
          sourceKey: positionals[1]!,
          action: values.split ? 'split' : 'merge',
          ...(values.into ? { targetTitleId: values.into } : {}),
          ...(values.note ? { note: values.note } : {}),
        });
        if (values.json) printJson(result);
        else
          process.stdout.write(
            `${positionals[0]}/${positionals[1]} now belongs to ${result.titleId} ` +
              `(was ${result.previousTitleId}); the override is kept for future ingests.\n`,
          );
        return 0;
      }
      const merges = await listMerges(backend.db, {
        ...(maxConfidence !== undefined ? { maxConfidence } : {}),
        limit,
        ...(sub === 'show' ? { titleId: positionals[0]! } : {}),
      });
      if (values.json) printJson({ merges });
      else
        printTable(
          merges.map((m) => ({ ...m, record: `${m.source}/${m.sourceKey}` })),
          ['titleId', 'title', 'record', 'method', 'confidence', 'reason', 'override'],
        );
      return 0;
    } finally {
      await closeBackend(backend);
    }
  },
};
