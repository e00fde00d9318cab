import type { Queryable } from '@media-gateway/db';
import type { TitleKind } from '@media-gateway/domain';
import type { Override } from '../resolve/resolver.ts';
import { looseTitleKeys, titlePartKeys, titlePrefixKeys } from '../resolve/loose-titles.ts';
import { normalizePerson, TitleIndex } from '../resolve/title-index.ts';
import { normalizeTitle } from '@media-gateway/domain';

interface TitleRow {
  id: string;
  kind: TitleKind;
  title: string;
  norm_title: string;
  alternate_titles: string[];
  year: number | null;
  runtime_minutes: number | null;
  directors: string[];
  cast_members: string[];
  countries: string[];
  genres: string[];
  seasons: number | null;
}

/** Loads every canonical title's resolution evidence and every external id into memory. */
export async function loadTitleIndex(db: Queryable): Promise<TitleIndex> {
  const index = new TitleIndex();
  const titles = await db.query<TitleRow>(
    'SELECT id, kind, title, norm_title, alternate_titles, year, runtime_minutes, ' +
      'directors, cast_members, countries, genres, seasons FROM titles',
  );
  for (const t of titles.rows) {
    index.put({
      id: t.id,
      kind: t.kind,
      normTitles: [t.norm_title, ...t.alternate_titles.map(normalizeTitle)],
      // Loose forms and subtitle parts too, so a later run compares names as the run that made the title did.
      looseTitles: looseTitleKeys([t.title, ...t.alternate_titles]),
      titleParts: titlePartKeys([t.title, ...t.alternate_titles]),
      prefixParts: titlePrefixKeys([t.title, ...t.alternate_titles]),
      year: t.year ?? undefined,
      runtimeMinutes: t.runtime_minutes ?? undefined,
      directors: new Set(t.directors.map(normalizePerson)),
      cast: new Set(t.cast_members.slice(0, 15).map(normalizePerson)),
      countries: new Set(t.countries),
      genres: new Set(t.genres),
      seasons: t.seasons ?? undefined,
      sources: new Set(),
    });
  }
  // Which sources already gave each title a record (a catalog lists a work once).
  const sources = await db.query<{ title_id: string; source: string }>(
    'SELECT DISTINCT title_id, source FROM title_sources',
  );
  for (const row of sources.rows) index.get(row.title_id)?.sources?.add(row.source);
  const ids = await db.query<{ namespace: string; value: string; title_id: string }>(
    'SELECT namespace, value, title_id FROM external_ids',
  );
  for (const row of ids.rows) {
    index.putExternal(`${row.namespace}:${row.value}`, row.title_id);
    if (row.namespace === 'imdb') {
      const t = index.get(row.title_id);
      if (t) t.imdb = row.value;
    }
  }
  return index;
}

export interface PreviousRecord {
  titleId: string;
  hash: string;
}

/** Where each record of this source went last time, and its content hash. */
export async function loadPreviousRecords(db: Queryable, source: string): Promise<Map<string, PreviousRecord>> {
  const rows = await db.query<{ source_key: string; title_id: string; record_hash: string }>(
    'SELECT source_key, title_id, record_hash FROM title_sources WHERE source = $1',
    [source],
  );
  return new Map(rows.rows.map((r) => [r.source_key, { titleId: r.title_id, hash: r.record_hash }]));
}

export async function loadOverrides(db: Queryable, source: string): Promise<Map<string, Override>> {
  const rows = await db.query<{ source_key: string; action: 'split' | 'merge'; target_title_id: string | null }>(
    'SELECT source_key, action, target_title_id FROM resolution_overrides WHERE source = $1',
    [source],
  );
  return new Map(
    rows.rows.map((r) => [r.source_key, { action: r.action, targetTitleId: r.target_title_id ?? undefined }]),
  );
}
