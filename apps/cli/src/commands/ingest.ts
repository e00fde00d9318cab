import { parseArgs } from 'node:util';
import type { FileFormat, IngestSummary } from '@media-gateway/catalog';
import { DomainError, isRegion } from '@media-gateway/domain';
import { closeBackend, openBackend } from '../backend.ts';
import { printJson, UsageError } from '../io.ts';
import type { Command } from './command.ts';

function progressBar(done: number, total: number, rows: number): string {
  const width = 30;
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return (
    `\r  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` +
    `${(ratio * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows`
  );
}

function describe(s: IngestSummary): string {
  const c = s.counts;
  return [
    `${s.source}: ${s.status} in ${s.seconds}s — ${c.rows} rows, ${s.changes} changes`,
    // A failed run says why on the line after its status (it was only in --json).
    ...(s.error ? [`  error: ${s.error}`] : []),
    `  records: ${c.recordsCreated} new, ${c.recordsUpdated} updated, ` +
      `${c.unchanged} unchanged, ${c.rejected} rejected, ${c.duplicates} duplicate keys`,
    `  titles: ${c.titlesCreated} created, ${c.mergedIntoExisting} records merged into ` +
      `existing titles; offers: +${c.offersAdded} −${c.offersRemoved} ~${c.offersChanged}`,
    `  problems: ${c.problems}${
      c.problems
        ? ` (first: ${s.problems
            .slice(0, 3)
            .map((p) => `${p.file}:${p.row} ${p.field}: ${p.reason}`)
            .join('; ')})`
        : ''
    }`,
    `  run id: ${s.runId}`,
  ].join('\n');
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Import catalog files (catalog CSV, JustWatch CSV, our JSONL) with entity resolution',
  usage:
    'ingest <files…> [--format catalog-csv|justwatch-csv|jsonl] [--platform ID] ' +
    '[--region US] [--as-of YYYY-MM-DD] [--json]\n' +
    '       ingest --source tmdb|watchmode|streaming-availability|justwatch|youtube ' +
    '[--region US] [--full|--incremental] [--json]',
  async run(argv) {
    const { ingest, openFileSource, parseAsOf } = await import('@media-gateway/catalog');
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        platform: { type: 'string' },
        region: { type: 'string' },
        'as-of': { type: 'string' },
        json: { type: 'boolean' },
        source: { type: 'string' },
        full: { type: 'boolean' },
        incremental: { type: 'boolean' },
      },
      strict: true,
    });
    if (values.source !== undefined) return ingestLive(values, positionals);
    if (values.full || values.incremental) throw new UsageError('--full and --incremental go with --source');
    if (positionals.length === 0) throw new UsageError('name at least one file to ingest');
    // When the files' availability was true; without it their offers say "as of unknown".
    let seenAt: Date | null = null;
    if (values['as-of'] !== undefined) {
      const parsed = parseAsOf(values['as-of'], Date.now());
      if ('error' in parsed) throw new UsageError(`--as-of ${parsed.error}`);
      seenAt = parsed.date;
    }
    // Resolve every file's importer before touching the database, so a typo fails fast.
    const sources = [];
    for (const file of positionals) {
      sources.push(
        await openFileSource(file, {
          format: values.format as FileFormat | undefined,
          platform: values.platform,
          region: values.region,
        }),
      );
    }
    const backend = await openBackend({ needWrite: true });
    if (backend.kind !== 'db') throw new UsageError('ingest needs direct database access');
    const summaries: IngestSummary[] = [];
    const tty = process.stderr.isTTY && !values.json;
    try {
      for (const [i, source] of sources.entries()) {
        if (tty) process.stderr.write(`${positionals[i]}\n`);
        const summary = await ingest({
          db: backend.db,
          source,
          seenAt,
          ...(tty ? { onProgress: (p) => process.stderr.write(progressBar(p.done, p.total, p.rows)) } : {}),
        });
        if (tty) process.stderr.write(`${progressBar(1, 1, summary.counts.rows)}\n`);
        summaries.push(summary);
        if (!values.json) process.stdout.write(`${describe(summary)}\n`);
      }
    } finally {
      await closeBackend(backend);
    }
    const total = summaries.reduce((n, s) => n + s.changes, 0);
    if (values.json) printJson({ files: summaries, changes: total });
    else process.stdout.write(`Done: ${summaries.length} file(s), ${total} changes.\n`);
    return summaries.some((s) => s.status === 'failed') ? 1 : 0;
  },
};

/** `ingest --source X`: one run of a live source (the worker runs them on a schedule). */
async function ingestLive(
  values: {
    source?: string | undefined;
    region?: string | undefined;
    full?: boolean | undefined;
    incremental?: boolean | undefined;
    json?: boolean | undefined;
  },
  positionals: string[],
): Promise<number> {
  const { isLiveSource, LIVE_SOURCES, runLiveSource } = await import('@media-gateway/catalog');
  const source = values.source ?? '';
  if (!isLiveSource(source)) throw new UsageError(`--source must be one of ${LIVE_SOURCES.join(', ')}`);
  if (positionals.length > 0) throw new UsageError('--source takes no files');
  if (values.full && values.incremental) throw new UsageError('choose --full or --incremental, not both');
  const region = (values.region ?? 'US').toUpperCase();
  if (!isRegion(region)) throw new UsageError(`--region must be a two-letter country code, got "${values.region}"`);
  const backend = await openBackend({ needWrite: true });
  if (backend.kind !== 'db') throw new UsageError('ingest needs direct database access');
  try {
    const r = await runLiveSource({
      db: backend.db,
      source,
      region,
      mode: values.full ? 'full' : 'incremental',
      env: backend.ctx.config.catalog.sourceKeys,
    });
    if (r.status === 'not-configured' || r.status === 'busy') {
      throw new DomainError(r.status === 'busy' ? 'CONFLICT' : 'UPSTREAM_UNAVAILABLE', r.message, { source });
    }
    if (values.json)
      printJson({
        ...r.summary,
        outcome: r.outcome,
        offersClosed: r.offersClosed,
        offersReopened: r.offersReopened,
        http: r.http,
      });
    else {
      process.stdout.write(`${describe(r.summary)}\n`);
      process.stdout.write(
        `  pages: ${r.outcome.pages}${r.outcome.message ? ` (${r.outcome.message})` : ''}; ` +
          `offers closed ${r.offersClosed}, re-opened ${r.offersReopened}\n`,
      );
    }
    return r.status === 'failed' ? 1 : 0;
  } finally {
    await closeBackend(backend);
  }
}
