import { join } from 'node:path';
import { mapGenreLabels, SourceRecordSchema, toImdbId, type SourceRecord } from '@media-gateway/domain';
import { readCsvRows } from '../src/sources/files/csv-rows.ts';

/**
 * MovieLens `ml-latest-small` as source records, for the entity-resolution evaluation only (the
 * MovieLens licence is non-commercial, so this is not a production importer). The IMDb id from
 * `links.csv` is returned beside the record as ground truth and is NOT put on the record.
 */
export interface TruthRecord {
  record: SourceRecord;
  /** Ground-truth IMDb id, hidden from the resolver. */
  imdb: string | undefined;
}

/** Articles MovieLens moves to the end ("Usual Suspects, The"); `L'` is glued to the next word. */
const TRAILING_ARTICLE =
  /^(.*), (The|A|An|Les|La|Le|L'|El|Il|Lo|Los|Las|Der|Die|Das|Det|Den|De|Het|Een|Ein|Eine|O|Os|As|Un|Une|Una|Uno|I|Gli)$/;

function frontArticle(title: string): string {
  const m = TRAILING_ARTICLE.exec(title.trim());
  if (!m?.[1] || !m[2]) return title.trim();
  return m[2].endsWith("'") ? `${m[2]}${m[1]}` : `${m[2]} ${m[1]}`;
}

/**
 * Splits a MovieLens title into its main title, alternates and year:
 * `City of Lost Children, The (Cité des enfants perdus, La) (1995)` →
 * `The City of Lost Children`, [`La Cité des enfants perdus`], 1995;
 * `Seven (a.k.a. Se7en) (1995)` → `Seven`, [`Se7en`], 1995.
 */
export function parseMovieLensTitle(raw: string): { title: string; alternates: string[]; year?: number } {
  let text = raw.trim();
  let year: number | undefined;
  const y = /\s*\((\d{4})(?:[-–]\d{0,4})?\)$/.exec(text);
  if (y?.[1]) {
    year = Number(y[1]);
    text = text.slice(0, y.index).trim();
  }
  const alternates: string[] = [];
  // Trailing parentheses hold alternate (often original-language) titles; peel them off one by one.
  for (let m = /^(.+?)\s*\(([^()]+)\)$/.exec(text); m?.[1] && m[2]; m = /^(.+?)\s*\(([^()]+)\)$/.exec(text)) {
    const alt = m[2].replace(/^(a\.k\.a\.|aka)\s+/i, '').trim();
    if (alt) alternates.unshift(frontArticle(alt));
    text = m[1].trim();
  }
  return { title: frontArticle(text), alternates, ...(year !== undefined ? { year } : {}) };
}

/** Reads movies.csv + links.csv into records (kind movie, genres mapped onto our taxonomy). */
export async function readMovieLens(dir: string): Promise<TruthRecord[]> {
  const links = new Map<string, { imdb?: string; tmdb?: string }>();
  for await (const row of readCsvRows(join(dir, 'links.csv'))) {
    const id = (row.values['movieId'] ?? '').trim();
    const imdbRaw = (row.values['imdbId'] ?? '').trim();
    const tmdb = (row.values['tmdbId'] ?? '').trim();
    const imdb = /^\d+$/.test(imdbRaw) ? toImdbId(`tt${imdbRaw.padStart(7, '0')}`) : undefined;
    links.set(id, { ...(imdb ? { imdb } : {}), ...(/^\d+$/.test(tmdb) ? { tmdb } : {}) });
  }
  const out: TruthRecord[] = [];
  for await (const row of readCsvRows(join(dir, 'movies.csv'))) {
    const id = (row.values['movieId'] ?? '').trim();
    const parsed = parseMovieLensTitle(row.values['title'] ?? '');
    if (!id || !parsed.title) continue;
    const labels = (row.values['genres'] ?? '')
      .split('|')
      .map((g) => g.trim())
      .filter((g) => g && g !== '(no genres listed)');
    const link = links.get(id);
    const record = SourceRecordSchema.parse({
      source: 'movielens',
      sourceKey: id,
      kind: 'movie',
      title: parsed.title,
      alternateTitles: parsed.alternates,
      ...(parsed.year !== undefined && parsed.year >= 1870 ? { year: parsed.year } : {}),
      genres: mapGenreLabels(labels),
      genreLabels: labels,
      // TMDb ids are a legitimate external id a real MovieLens import would carry.
      externalIds: link?.tmdb ? { tmdb: `movie:${link.tmdb}` } : {},
    });
    out.push({ record, imdb: link?.imdb });
  }
  return out;
}
