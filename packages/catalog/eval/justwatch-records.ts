import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceRecordSchema } from '@media-gateway/domain';
import { openFileSource } from '../src/sources/files/open-file-source.ts';
import type { TruthRecord } from './movielens-records.ts';

/**
 * Every `justwatch/*_titles.csv` through the production importer. The IMDb id moves from the
 * record into the truth slot, so the resolver never sees it. Duplicate ids within one file are
 * dropped like the pipeline does (first row wins).
 */
/** One id, one spelling: `tt01064932` (one row in the Prime file) is `tt1064932`. */
export function canonicalImdb(id: string | undefined): string | undefined {
  const digits = id?.replace(/^tt0*/, '');
  return digits ? `tt${digits.padStart(7, '0')}` : undefined;
}

export async function readJustWatch(dir: string): Promise<TruthRecord[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('_titles.csv')).sort();
  if (files.length === 0) throw new Error(`no *_titles.csv files in ${dir}`);
  const out: TruthRecord[] = [];
  for (const file of files) {
    const source = await openFileSource(join(dir, file), { format: 'justwatch-csv' });
    const seen = new Set<string>();
    for await (const item of source.read({})) {
      if (!item.record) continue;
      const parsed = SourceRecordSchema.safeParse({ ...item.record, source: source.name });
      if (!parsed.success || seen.has(parsed.data.sourceKey)) continue;
      seen.add(parsed.data.sourceKey);
      const { imdb, ...otherIds } = parsed.data.externalIds;
      out.push({ record: { ...parsed.data, externalIds: otherIds }, imdb: canonicalImdb(imdb) });
    }
  }
  return out;
}
