import { createHash, randomUUID } from 'node:crypto';
import {
  familyOf,
  getUserSettings,
  type ImportFormat,
  type ImportRow,
  matchImportRows,
  parseImportFile,
  type RowMatch,
} from '@media-gateway/catalog';
import type { ImportCounts, ImportReportRow, ImportSummary } from '@media-gateway/domain/contracts';
import { type EventInput, MAX_EVENTS_PER_BATCH } from '@media-gateway/recommend';
import { addToWatchlist, rootMap } from '@media-gateway/sync';
import type { AppContext } from '../context.ts';
import { saveImport, summaryOf } from './import-store.ts';

/** Watchlist adds per sync edit. */
const WATCHLIST_SLICE = 200;

interface PlannedEvent extends EventInput {
  /** Set for watchlist rows: the title also goes onto the person's synced watchlist. */
  watchlist: boolean;
}

/**
 * The feedback event id of what a row says: the same person, tracker, signal, title and rating
 * always give the same id, so importing a file twice (or watched.csv after diary.csv, or fifty
 * Netflix episodes of one series) records each fact once; a changed rating is a new fact.
 */
export function importEventId(userId: string, format: ImportFormat, type: string, titleId: string, value?: number) {
  const key = [userId, familyOf(format), type, titleId, value ?? ''].join('\n');
  return `imp_${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

function plan(userId: string, format: ImportFormat, row: ImportRow, titleId: string, now: number): PlannedEvent[] {
  // The original date when it is not ahead of our clock (the recommender refuses future times).
  const at = row.at && Date.parse(row.at) <= now ? row.at : undefined;
  const context = { surface: `import:${format}` };
  return row.signals.map((s) => {
    const type = s.type === 'watchlist' ? 'watchlist_add' : s.type;
    const value = s.type === 'rating' ? s.value : undefined;
    return {
      id: importEventId(userId, format, type, titleId, value),
      type,
      titleId,
      value,
      at,
      context,
      watchlist: s.type === 'watchlist',
    };
  });
}

/** Event ids this person already has: in rec_events, or recorded by an earlier import (kept past retention). */
async function knownEventIds(ctx: AppContext, userId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await ctx.db.query<{ id: string }>(
    `SELECT client_event_id AS id FROM rec_events WHERE user_id = $1 AND client_event_id = ANY($2)
     UNION SELECT e AS id FROM imports, unnest(event_ids) AS e WHERE user_id = $1 AND e = ANY($2)`,
    [userId, ids],
  );
  return new Set(rows.map((r) => r.id));
}

function emptyCounts(): ImportCounts {
  return {
    rows: 0,
    matched: 0,
    unmatched: 0,
    imported: 0,
    alreadyImported: 0,
    how: { imdb: 0, tmdb: 0, title_year: 0, title_year_near: 0, title: 0 },
    reasons: { not_in_catalog: 0, ambiguous: 0, no_year: 0, unsupported: 0, invalid: 0 },
    events: { recorded: 0, alreadyRecorded: 0 },
    watchlist: { added: 0, alreadyOnList: 0 },
  };
}

/**
 * Lets requests that arrived meanwhile run. An embedded database answers each query synchronously, so a chain of
 * awaits over it never reaches the I/O queue: without this, one person's 45,000-row import held every other
 * request for its whole 6.5 s (bench:import-stall).
 */
const otherRequestsFirst = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Imports one export file for one person: parse (format from the shape), match to the catalog,
 * put watchlist rows on the synced watchlist (the hub's `edit`, as REST does), record ratings,
 * watches and watchlist adds as feedback events through the recommender (so recommendations
 * change at once), and keep the report. Idempotent: rows already imported change nothing.
 */
export async function runImport(
  ctx: AppContext,
  userId: string,
  input: { bytes: Uint8Array; format?: ImportFormat | undefined; fileName?: string | undefined },
): Promise<ImportSummary> {
  const parsed = parseImportFile(input.bytes, {
    ...(input.format ? { format: input.format } : {}),
    ...(input.fileName ? { fileName: input.fileName } : {}),
  });
  await otherRequestsFirst();
  const matches = await matchImportRows(ctx.db, parsed.rows);
  await otherRequestsFirst();
  const now = ctx.clock.now();
  const perRow = parsed.rows.map((row, i) => {
    const m = matches[i]!;
    return m.status === 'matched' ? plan(userId, parsed.format, row, m.titleId, now) : [];
  });
  // One event per id; when several rows say the same thing, the latest date stands.
  const events = new Map<string, PlannedEvent>();
  for (const e of perRow.flat()) {
    const seen = events.get(e.id);
    if (!seen || (e.at && (!seen.at || e.at > seen.at))) events.set(e.id, e);
  }
  const known = await knownEventIds(ctx, userId, [...events.keys()]);
  const fresh = [...events.values()].filter((e) => !known.has(e.id));

  const watchlistTitles = [...new Set([...events.values()].filter((e) => e.watchlist).map((e) => e.titleId))];
  const toAdd = new Set(fresh.filter((e) => e.watchlist).map((e) => e.titleId));
  const counts = emptyCounts();
  if (watchlistTitles.length) {
    const hub = await ctx.services.sync();
    const device = `import-${familyOf(parsed.format)}`;
    const onList = (doc: Parameters<typeof rootMap>[0]) => rootMap(doc, 'watchlist');
    const present = new Set(await hub.read(userId, (doc) => watchlistTitles.filter((id) => onList(doc).has(id))));
    counts.watchlist.alreadyOnList = present.size;
    const missing = [...toAdd].filter((id) => !present.has(id));
    // In slices, so no single sync update (fanned out to every device) carries a whole watchlist.
    for (let i = 0; i < missing.length; i += WATCHLIST_SLICE) {
      const slice = missing.slice(i, i + WATCHLIST_SLICE);
      counts.watchlist.added += await hub.edit(userId, (doc) => {
        let added = 0;
        for (const id of slice) {
          if (onList(doc).has(id)) continue;
          const at = events.get(importEventId(userId, parsed.format, 'watchlist_add', id))?.at;
          addToWatchlist(doc, id, device, at ? Date.parse(at) : now);
          added++;
        }
        return added;
      });
    }
  }

  const accepted = new Set<string>();
  if (fresh.length) {
    const settings = await getUserSettings(ctx.db, userId);
    const recommender = ctx.services.recommender();
    // Oldest first, so the adapter's bounded history keeps the newest facts.
    const ordered = fresh.sort((a, b) => (a.at ?? '9999').localeCompare(b.at ?? '9999'));
    for (let i = 0; i < ordered.length; i += MAX_EVENTS_PER_BATCH) {
      const batch = ordered.slice(i, i + MAX_EVENTS_PER_BATCH).map(({ watchlist: _w, ...e }) => e);
      await otherRequestsFirst();
      const result = await recommender.recordEvents(userId, settings, batch);
      for (const id of result.accepted) accepted.add(id);
    }
  }
  counts.events.recorded = accepted.size;
  counts.events.alreadyRecorded = events.size - accepted.size;

  const rows = parsed.rows.map((row, i) => reportRow(row, matches[i]!, perRow[i]!, accepted));
  counts.rows = rows.length;
  for (const r of rows) {
    if (r.how) counts.how[r.how]++;
    if (r.reason) counts.reasons[r.reason]++;
    if (r.status === 'matched') counts.matched++;
    else counts.unmatched++;
    if (r.outcome === 'imported') counts.imported++;
    if (r.outcome === 'already_imported') counts.alreadyImported++;
  }
  await otherRequestsFirst();
  const saved = await saveImport(ctx.db, {
    id: randomUUID(),
    userId,
    format: parsed.format,
    fileName: input.fileName ?? null,
    createdAt: new Date(now),
    counts,
    rows,
    eventIds: [...accepted],
  });
  return summaryOf(saved);
}

function reportRow(row: ImportRow, m: RowMatch, planned: PlannedEvent[], accepted: Set<string>): ImportReportRow {
  const rating = row.signals.find((s) => s.type === 'rating');
  const base = {
    row: row.row,
    title: row.title,
    year: row.year ?? null,
    action: row.signals.map((s) => s.type).join('+') || 'none',
    rating: rating?.type === 'rating' ? rating.original : null,
    value: rating?.type === 'rating' ? rating.value : null,
  };
  if (m.status === 'unmatched')
    return {
      ...base,
      status: 'unmatched',
      how: null,
      titleId: null,
      matchedTitle: null,
      matchedYear: null,
      reason: m.reason,
      detail: m.detail,
      outcome: null,
    };
  return {
    ...base,
    status: 'matched',
    how: m.how,
    titleId: m.titleId,
    matchedTitle: m.title,
    matchedYear: m.year,
    reason: null,
    detail: m.detail ?? null,
    outcome: planned.some((e) => accepted.has(e.id)) ? 'imported' : 'already_imported',
  };
}
