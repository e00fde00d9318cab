import { join } from 'node:path';
import { ingest, openFileSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { normalizeTitle } from '@media-gateway/domain';

/** One title of a shared dataset file, as the catalog's own reader reports it. */
export interface DatasetTitle {
  sourceKey: string;
  title: string;
  year: number | undefined;
  kind: 'movie' | 'series';
  imdb: string | undefined;
  seasons: number | undefined;
}

/** Every title of a JustWatch dataset file (`justwatch/<platform>_titles.csv`), read with the catalog's reader. */
export async function readJustwatch(datasets: string, file: string): Promise<DatasetTitle[]> {
  const source = await openFileSource(join(datasets, 'justwatch', file));
  const out: DatasetTitle[] = [];
  for await (const item of source.read({})) {
    const r = item.record;
    if (!r) continue;
    out.push({
      sourceKey: r.sourceKey,
      title: r.title,
      year: r.year,
      kind: r.kind,
      imdb: r.externalIds?.imdb,
      seasons: r.seasons,
    });
  }
  return out;
}

export async function ingestJustwatch(db: Db, datasets: string, file: string): Promise<void> {
  await ingest({ db, source: await openFileSource(join(datasets, 'justwatch', file)), seenAt: new Date('2022-06-01') });
}

/** Titles of `other` that the catalog file cannot hold: another IMDb id and another normalised name. */
export function notIn(catalog: DatasetTitle[], other: DatasetTitle[]): DatasetTitle[] {
  const ids = new Set(catalog.map((t) => t.imdb).filter(Boolean));
  const names = new Set(catalog.map((t) => normalizeTitle(t.title)));
  return other.filter((t) => t.imdb && !ids.has(t.imdb) && !names.has(normalizeTitle(t.title)));
}

/** A CSV cell, quoted when it holds a comma, quote or newline (titles do). */
export const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function csv(header: string, rows: Array<Array<string | number | undefined>>): string {
  return `${[header, ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n')}\r\n`;
}
