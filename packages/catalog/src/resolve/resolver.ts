import { normalizeTitle, type SourceRecord } from '@media-gateway/domain';
import { GENRE_FAMILY } from './genre-families.ts';
import { looseForm, looseTitleKeys, titlePartKeys, titlePrefixKeys } from './loose-titles.ts';
import { type IndexedTitle, normalizePerson, type TitleIndex } from './title-index.ts';

export type ResolutionMethod = 'new' | 'override' | 'existing' | 'external-id' | 'evidence';

export interface Resolution {
  /** Undefined means: create a new canonical title. */
  titleId: string | undefined;
  method: ResolutionMethod;
  confidence: number;
  reason: string;
}

export interface Override {
  action: 'split' | 'merge';
  targetTitleId?: string | undefined;
}

/** Minimum evidence confidence for a merge without a shared id. */
export const MERGE_THRESHOLD = 0.8;

/** Everything resolution compares, derived once per record. */
export function evidenceOf(record: SourceRecord): Omit<IndexedTitle, 'id' | 'kind'> {
  const titles = [record.title, record.originalTitle, ...record.alternateTitles].filter((t): t is string => !!t);
  return {
    normTitles: [...new Set(titles.map(normalizeTitle).filter((t) => t.length > 0))],
    looseTitles: looseTitleKeys(titles),
    titleParts: titlePartKeys(titles),
    prefixParts: titlePrefixKeys(titles),
    year: record.year,
    runtimeMinutes: record.runtimeMinutes,
    directors: new Set(record.directors.map(normalizePerson)),
    cast: new Set(record.cast.slice(0, 15).map(normalizePerson)),
    countries: new Set(record.countries),
    imdb: record.externalIds.imdb,
    seasons: record.seasons,
    genres: new Set(record.genres),
    sources: new Set([record.source]),
  };
}

/** External-id keys a record carries, strongest first. */
export function externalKeys(record: SourceRecord): string[] {
  const ids = record.externalIds;
  const keys: string[] = [];
  if (ids.imdb) keys.push(`imdb:${ids.imdb}`);
  if (ids.tmdb) keys.push(`tmdb:${ids.tmdb}`);
  if (ids.justwatch) keys.push(`justwatch:${ids.justwatch}`);
  if (ids.watchmode) keys.push(`watchmode:${ids.watchmode}`);
  for (const [platform, id] of Object.entries(ids.platforms ?? {})) keys.push(`platform:${platform}:${id}`);
  return keys;
}

/**
 * Sources map labels onto neighbouring genres (adventure vs action): no shared genre but a shared family is neutral.
 */
function relatedGenres(a: Set<string>, b: Set<string>): boolean {
  const families = new Set([...a].map((g) => GENRE_FAMILY[g]));
  for (const g of b) if (families.has(GENRE_FAMILY[g])) return true;
  return false;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

/**
 * Evidence weights, in log-odds-like points added to a prior for "same normalized title, same
 * kind". The sum maps to a confidence through a logistic curve; MERGE_THRESHOLD (0.8) is reached
 * at 1.87 points. Tuned on the eval:er ground truth (docs/decisions/0080-entity-resolution-evidence.md);
 * every weight is a general rule about catalogs, none names a title or a source.
 */
const W = {
  titlePrior: 1.2,
  looseTitlePrior: 0.4,
  movieSameYear: 1.2,
  movieYearOff1: 0.4,
  movieNoYear: -0.4,
  seriesYearClose: 0.8,
  seriesYearFar: -1.0,
  seriesYearSome: -0.5,
  sharedDirector: 2.0,
  noSharedDirector: -1.6,
  castPerShared: 0.8,
  castMax: 2.0,
  noSharedCast: -0.8,
  runtimeClose: 0.6,
  runtimeOff: -1.0,
  runtimeFar: -1.6,
  sharedCountry: 0.3,
  noSharedCountry: -0.5,
  genresAgree: 0.7,
  genresTouch: 0.3,
  genresDisjoint: -1.2,
  sameSource: -2.5,
  documentaryAbout: -2.5,
} as const;

/**
 * Scores how likely a record and a candidate title are the same work. Returns a confidence in
 * [0, 1] and the reasons, or undefined when a hard rule forbids the merge.
 * Hard rules: different kinds; different IMDb ids; movie years more than 1 apart; one name the other's plus a
 * subtitle in another year (an installment).
 */
export function scoreCandidate(
  record: SourceRecord,
  ev: ReturnType<typeof evidenceOf>,
  candidate: IndexedTitle,
): { confidence: number; reasons: string[] } | undefined {
  if (candidate.kind !== record.kind) return undefined;
  if (ev.imdb && candidate.imdb && ev.imdb !== candidate.imdb) return undefined;
  const exactTitle = ev.normTitles.some((t) => candidate.normTitles.includes(t));
  const reasons: string[] = [exactTitle ? 'same normalized title' : 'similar title'];
  let score: number = exactTitle ? W.titlePrior : W.looseTitlePrior;
  const yearGap =
    ev.year !== undefined && candidate.year !== undefined ? Math.abs(ev.year - candidate.year) : undefined;
  if (record.kind === 'movie') {
    if (yearGap === undefined) score += W.movieNoYear;
    else if (yearGap === 0) {
      score += W.movieSameYear;
      reasons.push('same year');
    } else if (yearGap === 1) {
      score += W.movieYearOff1;
      reasons.push('year ±1');
    } else return undefined;
  } else if (yearGap !== undefined) {
    // A series' "release year" is often its latest season, so a gap is weak evidence either way —
    // unless the gap is what the number of seasons explains (first season vs latest season) and the
    // whole title is the same (a spin-off "X: New World" is another series).
    const seasons = [ev.seasons, candidate.seasons].filter((s): s is number => s !== undefined && s > 1);
    const spanExplained = exactTitle && yearGap >= 2 && seasons.some((s) => Math.abs(yearGap - (s - 1)) <= 1);
    if (yearGap <= 1) {
      score += W.seriesYearClose;
      reasons.push(yearGap === 0 ? 'same year' : 'year ±1');
    } else if (spanExplained) {
      score += W.seriesYearClose;
      reasons.push('year gap matches the seasons (first vs latest season)');
    } else if (yearGap > 8) score += W.seriesYearFar;
    else score += W.seriesYearSome;
  }
  if (ev.directors.size > 0 && candidate.directors.size > 0) {
    const shared = overlap(ev.directors, candidate.directors);
    if (shared > 0) {
      score += W.sharedDirector;
      reasons.push(`${shared} shared director(s)`);
    } else score += W.noSharedDirector;
  }
  if (ev.cast.size > 0 && candidate.cast.size > 0) {
    const shared = overlap(ev.cast, candidate.cast);
    if (shared > 0) {
      score += Math.min(W.castMax, W.castPerShared * shared);
      reasons.push(`${shared} shared cast`);
    } else score += W.noSharedCast;
  }
  if (ev.runtimeMinutes !== undefined && candidate.runtimeMinutes !== undefined && record.kind === 'movie') {
    // Cuts and PAL speed-up move a film's runtime by a few minutes, rarely by more than 15.
    const gap = Math.abs(ev.runtimeMinutes - candidate.runtimeMinutes);
    if (gap <= 5) {
      score += W.runtimeClose;
      reasons.push('runtime within 5 min');
    } else if (gap > 20) score += W.runtimeFar;
    else if (gap > 10) score += W.runtimeOff;
  }
  if (ev.countries.size > 0 && candidate.countries.size > 0) {
    if (overlap(ev.countries, candidate.countries) > 0) {
      score += W.sharedCountry;
      reasons.push('shared country');
    } else score += W.noSharedCountry;
  }
  const genres = ev.genres;
  if (genres && genres.size > 0 && candidate.genres && candidate.genres.size > 0) {
    // Overlap relative to the smaller set: one source's 2 genres inside another's 5 is agreement.
    const shared = overlap(genres, candidate.genres);
    const ratio = shared / Math.min(genres.size, candidate.genres.size);
    if (ratio >= 0.5) {
      score += W.genresAgree;
      reasons.push('genres agree');
    } else if (shared > 0) {
      score += W.genresTouch;
      reasons.push('a shared genre');
    } else if (!relatedGenres(genres, candidate.genres)) score += W.genresDisjoint;
  }
  // A documentary whose name holds another title's ("Disney Gallery / Star Wars: The Mandalorian") is about that
  // work, not the work: it shares its cast (interviews), year and genres. Only for similar names: sources do
  // disagree on whether one work is a documentary.
  if (!exactTitle && genres && candidate.genres && genres.has('documentary') !== candidate.genres.has('documentary')) {
    score += W.documentaryAbout;
    reasons.push('one is a documentary, the other not');
  }
  // One name is the other's with a subtitle after it, in another year ("Prep & Landing", 2009, and "Prep & Landing:
  // Operation Secret Santa", 2010): another installment, made by the same people with the same cast, so no weight of
  // evidence tells it from the same work; it never merges. The same film listed with and without its franchise
  // ("Star Wars: Episode IV - A New Hope" and "Star Wars", both 1977) comes out in the same year and still merges.
  const candidateLoose = candidate.looseTitles ?? candidate.normTitles.map(looseForm);
  const looseTitles = ev.looseTitles ?? [];
  if (
    !exactTitle &&
    yearGap !== undefined &&
    yearGap > 0 &&
    !looseTitles.some((t) => candidateLoose.includes(t)) &&
    ((ev.prefixParts ?? []).some((p) => candidateLoose.includes(p)) ||
      (candidate.prefixParts ?? []).some((p) => looseTitles.includes(p)))
  )
    return undefined;
  if (candidate.sources && ev.sources && overlap(ev.sources, candidate.sources) > 0) score += W.sameSource;
  const confidence = 1 / (1 + Math.exp(-(score - 1.0) * 1.6));
  return { confidence: Math.round(confidence * 1000) / 1000, reasons };
}

/**
 * Decides which canonical title a record belongs to: override, then the title this record was
 * resolved to before, then shared external ids, then evidence. Never merges across IMDb ids.
 */
export function resolveRecord(
  record: SourceRecord,
  index: TitleIndex,
  context: { previousTitleId?: string | undefined; override?: Override | undefined } = {},
): Resolution {
  const { override, previousTitleId } = context;
  if (override?.action === 'merge' && override.targetTitleId && index.get(override.targetTitleId)) {
    return { titleId: override.targetTitleId, method: 'override', confidence: 1, reason: 'operator override: merge' };
  }
  if (override?.action === 'split') {
    return { titleId: undefined, method: 'override', confidence: 1, reason: 'operator override: keep separate' };
  }
  const ev = evidenceOf(record);
  for (const key of externalKeys(record)) {
    const titleId = index.findExternal(key);
    if (titleId) {
      const existing = index.get(titleId);
      if (existing?.imdb && ev.imdb && existing.imdb !== ev.imdb) continue;
      return {
        titleId,
        method: 'external-id',
        confidence: 1,
        reason: `same ${key.split(':')[0]} id ${key.slice(key.indexOf(':') + 1)}`,
      };
    }
  }
  if (previousTitleId && index.get(previousTitleId)) {
    const previous = index.get(previousTitleId)!;
    if (!(previous.imdb && ev.imdb && previous.imdb !== ev.imdb)) {
      return { titleId: previousTitleId, method: 'existing', confidence: 1, reason: 'same source record as before' };
    }
  }
  let best: { title: IndexedTitle; confidence: number; reasons: string[] } | undefined;
  let runnerUp = 0;
  for (const candidate of index.candidates(ev.normTitles, ev)) {
    const scored = scoreCandidate(record, ev, candidate);
    if (!scored) continue;
    if (!best || scored.confidence > best.confidence) {
      runnerUp = best?.confidence ?? runnerUp;
      best = { title: candidate, ...scored };
    } else runnerUp = Math.max(runnerUp, scored.confidence);
  }
  if (best && best.confidence >= MERGE_THRESHOLD && best.confidence - runnerUp >= 0.05) {
    return { titleId: best.title.id, method: 'evidence', confidence: best.confidence, reason: best.reasons.join(', ') };
  }
  const why = best ? `best candidate ${best.title.id} only ${best.confidence}` : 'no candidate with the same title';
  return { titleId: undefined, method: 'new', confidence: 1, reason: `new title (${why})` };
}
