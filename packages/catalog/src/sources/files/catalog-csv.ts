import { basename } from 'node:path';
import {
  mapGenreLabels,
  normalizeMaturity,
  type SourceOffer,
  type SourceRecordInput,
  splitList,
  toCountryCode,
} from '@media-gateway/domain';
import type { RowProblem, Source, SourceItem } from '../source.ts';
import { readCsvRows } from './csv-rows.ts';

export const CATALOG_CSV_COLUMNS = [
  'show_id',
  'type',
  'title',
  'director',
  'cast',
  'country',
  'date_added',
  'release_year',
  'rating',
  'duration',
  'listed_in',
  'description',
];

/** "September 25, 2021" (with stray spaces) → ISO date, or undefined. */
function parseDateAdded(raw: string): string | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  const ms = Date.parse(`${text} UTC`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** "94 min" → { runtime: 94 }, "3 Seasons" → { seasons: 3 }. */
function parseDuration(raw: string): { runtimeMinutes?: number; seasons?: number } | undefined {
  const text = raw.trim();
  const minutes = /^(\d+)\s*min$/i.exec(text);
  if (minutes) return { runtimeMinutes: Number(minutes[1]) };
  const seasons = /^(\d+)\s*seasons?$/i.exec(text);
  if (seasons) return { seasons: Number(seasons[1]) };
  return undefined;
}

/**
 * The per-platform catalog CSV (`show_id,type,title,director,cast,…`). `show_id` is a row number
 * in that file, not a platform id, so offers get the platform's search link, never a direct one.
 */
export function catalogCsvSource(path: string, options: { platform: string; region: string }): Source {
  const file = basename(path);
  return {
    name: `catalog-csv:${options.platform}`,
    async *read({ signal }) {
      for await (const row of readCsvRows(path, signal)) {
        yield mapRow(row.values, row.line, file, options, { done: row.bytesRead, total: row.totalBytes });
      }
    },
  };
}

function mapRow(
  v: Record<string, string>,
  line: number,
  file: string,
  options: { platform: string; region: string },
  progress: SourceItem['progress'],
): SourceItem {
  const problems: RowProblem[] = [];
  const problem = (field: string, reason: string) => problems.push({ file, row: line, field, reason });
  const showId = (v['show_id'] ?? '').trim();
  const title = (v['title'] ?? '').trim();
  const typeRaw = (v['type'] ?? '').trim();
  if (!showId) problem('show_id', 'empty');
  if (!title) problem('title', 'empty');
  const kind = typeRaw === 'Movie' ? 'movie' : typeRaw === 'TV Show' ? 'series' : undefined;
  if (!kind) problem('type', `expected "Movie" or "TV Show", got "${typeRaw}"`);
  if (!showId || !title || !kind) return { file, row: line, problems, ...(progress ? { progress } : {}) };

  const yearRaw = (v['release_year'] ?? '').trim();
  const year = /^\d{4}$/.test(yearRaw) ? Number(yearRaw) : undefined;
  if (yearRaw && year === undefined) problem('release_year', `not a year: "${yearRaw}"`);

  let duration = parseDuration(v['duration'] ?? '');
  const ratingRaw = (v['rating'] ?? '').trim();
  const maturity = normalizeMaturity(ratingRaw);
  if (!maturity && ratingRaw) {
    // Known upstream quirk: the duration was shifted into the rating column.
    const shifted = parseDuration(ratingRaw);
    if (shifted && !duration) {
      duration = shifted;
      problem('rating', `held the duration "${ratingRaw}"; used it as the duration`);
    } else problem('rating', `unknown rating "${ratingRaw}"`);
  }
  if (!duration && (v['duration'] ?? '').trim()) problem('duration', `not understood: "${v['duration']}"`);

  const countries: string[] = [];
  for (const name of splitList(v['country'])) {
    const code = toCountryCode(name);
    if (code) countries.push(code);
    else problem('country', `unknown country "${name}"`);
  }
  const genreLabels = splitList(v['listed_in']);
  const availableFrom = parseDateAdded(v['date_added'] ?? '');
  const offer: SourceOffer = {
    platform: options.platform,
    region: options.region,
    monetization: 'subscription',
    ...(availableFrom ? { availableFrom } : {}),
  };
  const record: SourceRecordInput = {
    source: `catalog-csv:${options.platform}`,
    sourceKey: showId,
    kind,
    title,
    ...(year ? { year } : {}),
    ...(duration?.runtimeMinutes ? { runtimeMinutes: duration.runtimeMinutes } : {}),
    ...(duration?.seasons ? { seasons: duration.seasons } : {}),
    genres: mapGenreLabels(genreLabels),
    genreLabels,
    ...(maturity ? { maturity } : {}),
    countries: [...new Set(countries)],
    directors: splitList(v['director']),
    cast: splitList(v['cast']),
    ...((v['description'] ?? '').trim() ? { description: v['description']!.trim() } : {}),
    offers: [offer],
  };
  return { file, row: line, record, problems, ...(progress ? { progress } : {}) };
}
