import { basename } from 'node:path';
import {
  mapGenreLabels,
  normalizeMaturity,
  parsePythonList,
  type SourceRecordInput,
  toCountryCode,
  toImdbId,
} from '@media-gateway/domain';
import type { RowProblem, Source, SourceItem } from '../source.ts';
import { readCsvRows } from './csv-rows.ts';

export const JUSTWATCH_CSV_COLUMNS = [
  'id',
  'title',
  'type',
  'description',
  'release_year',
  'age_certification',
  'runtime',
  'genres',
  'production_countries',
  'seasons',
  'imdb_id',
  'imdb_score',
  'imdb_votes',
  'tmdb_popularity',
  'tmdb_score',
];

/**
 * The JustWatch-derived title list (`id,title,type,…,imdb_id,…`). `id` is JustWatch's id
 * (tm…/ts…), an external id but not the platform's own, so links stay `search` links.
 */
export function justwatchCsvSource(path: string, options: { platform: string; region: string }): Source {
  const file = basename(path);
  return {
    name: `justwatch-csv:${options.platform}`,
    async *read({ signal }) {
      for await (const row of readCsvRows(path, signal)) {
        yield mapRow(row.values, row.line, file, options, { done: row.bytesRead, total: row.totalBytes });
      }
    },
  };
}

function num(raw: string | undefined): number | undefined {
  const text = (raw ?? '').trim();
  if (!text) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
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
  const id = (v['id'] ?? '').trim();
  const title = (v['title'] ?? '').trim();
  const typeRaw = (v['type'] ?? '').trim();
  if (!/^t[ms]\d+$/.test(id)) problem('id', `not a JustWatch id: "${id}"`);
  if (!title) problem('title', 'empty');
  const kind = typeRaw === 'MOVIE' ? 'movie' : typeRaw === 'SHOW' ? 'series' : undefined;
  if (!kind) problem('type', `expected MOVIE or SHOW, got "${typeRaw}"`);
  if (!/^t[ms]\d+$/.test(id) || !title || !kind)
    return { file, row: line, problems, ...(progress ? { progress } : {}) };

  const year = num(v['release_year']);
  const runtime = num(v['runtime']);
  const seasons = num(v['seasons']);
  const imdbRaw = (v['imdb_id'] ?? '').trim();
  const imdb = imdbRaw ? toImdbId(imdbRaw) : undefined;
  if (imdbRaw && !imdb) problem('imdb_id', `not an IMDb id: "${imdbRaw}"`);
  const certRaw = (v['age_certification'] ?? '').trim();
  const maturity = normalizeMaturity(certRaw);
  if (certRaw && !maturity) problem('age_certification', `unknown rating "${certRaw}"`);
  const countries: string[] = [];
  for (const c of parsePythonList(v['production_countries'])) {
    const code = toCountryCode(c);
    if (code) countries.push(code);
    else problem('production_countries', `unknown country "${c}"`);
  }
  const genreLabels = parsePythonList(v['genres']);
  const votes = num(v['imdb_votes']);
  const record: SourceRecordInput = {
    source: `justwatch-csv:${options.platform}`,
    sourceKey: id,
    kind,
    title,
    ...(year && year >= 1870 && year <= 2100 ? { year: Math.trunc(year) } : {}),
    ...(runtime && runtime > 0 ? { runtimeMinutes: Math.round(runtime) } : {}),
    ...(kind === 'series' && seasons && seasons > 0 ? { seasons: Math.round(seasons) } : {}),
    genres: mapGenreLabels(genreLabels),
    genreLabels,
    ...(maturity ? { maturity } : {}),
    countries: [...new Set(countries)],
    ...((v['description'] ?? '').trim() ? { description: v['description']!.trim() } : {}),
    externalIds: { justwatch: id, ...(imdb ? { imdb } : {}) },
    offers: [{ platform: options.platform, region: options.region, monetization: 'subscription' }],
    ...(votes && votes > 0 ? { signals: { popularity: Math.round(Math.log10(votes + 1) * 100) / 100 } } : {}),
  };
  return { file, row: line, record, problems, ...(progress ? { progress } : {}) };
}
