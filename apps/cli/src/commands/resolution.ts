import { parseArgs } from 'node:util';
import { TITLE_ID_PATTERN } from '@media-gateway/domain';
import { apiRequest, type Backend, closeBackend, openBackend } from '../backend.ts';
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
    const request = {
      source: positionals[0]!,
      sourceKey: positionals[1]!,
      action: values.split ? ('split' as const) : ('merge' as const),
      ...(values.into ? { targetTitleId: values.into } : {}),
      ...(values.note ? { note: values.note } : {}),
    };
    const list = {
      maxConfidence,
      limit,
      ...(sub === 'show' ? { titleId: positionals[0]! } : {}),
    };
    // A running gateway answers (the admin API, with the login's token); else the database directly.
    const backend = await openBackend({ url: values.url });
    try {
      if (sub === 'override') {
        const result = await overrideThrough(backend, request);
        if (values.json) printJson(result);
        else
          process.stdout.write(
            `${request.source}/${request.sourceKey} now belongs to ${result.titleId} ` +
              `(was ${result.previousTitleId}); the override is kept for future ingests.\n`,
          );
        return 0;
      }
      const merges = await mergesThrough(backend, list);
      if (values.json) printJson({ merges });
      else
        printTable(
          merges.map((m) => ({ ...m, record: `${m['source']}/${m['sourceKey']}` })),
          ['titleId', 'title', 'record', 'method', 'confidence', 'reason', 'override'],
        );
      return 0;
    } finally {
      await closeBackend(backend);
    }
  },
};

interface OverrideRequest {
  source: string;
  sourceKey: string;
  action: 'split' | 'merge';
  targetTitleId?: string;
  note?: string;
}

async function overrideThrough(
  backend: Backend,
  request: OverrideRequest,
): Promise<{ titleId: string; previousTitleId: string }> {
  if (backend.kind === 'db') return (await import('@media-gateway/catalog')).overrideResolution(backend.db, request);
  const { token } = await requireCredentials(backend.url);
  return apiRequest(backend.url, 'POST', '/api/admin/resolution/override', request, token);
}

async function mergesThrough(
  backend: Backend,
  list: { maxConfidence: number | undefined; limit: number; titleId?: string },
): Promise<Array<Record<string, unknown>>> {
  if (backend.kind === 'db') {
    const { listMerges } = await import('@media-gateway/catalog');
    const { maxConfidence, ...rest } = list;
    return (await listMerges(backend.db, {
      ...rest,
      ...(maxConfidence !== undefined ? { maxConfidence } : {}),
    })) as unknown as Array<Record<string, unknown>>;
  }
  if (list.limit > 500) throw new UsageError('--limit is at most 500 through a gateway');
  const { token } = await requireCredentials(backend.url);
  const query = new URLSearchParams({
    below: String(list.maxConfidence ?? 1),
    limit: String(list.limit),
    ...(list.titleId ? { titleId: list.titleId } : {}),
  });
  const body = await apiRequest<{ items: Array<Record<string, unknown>> }>(
    backend.url,
    'GET',
    `/api/admin/resolution?${query}`,
    undefined,
    token,
  );
  return body.items;
}
