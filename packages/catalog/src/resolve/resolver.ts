import { normalizeTitle, type SourceRecord } from '@media-gateway/domain';
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
    year: record.year,
    runtimeMinutes: record.runtimeMinutes,
    directors: new Set(record.directors.map(normalizePerson)),
    cast: new Set(record.cast.slice(0, 15).map(normalizePerson)),
    countries: new Set(record.countries),
    imdb: record.externalIds.imdb,
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

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

/**
 * Scores how likely a record and a candidate title are the same work. Returns a confidence in
 * [0, 1] and the reasons, or undefined when a hard rule forbids the merge.
 * Hard rules: different kinds; different IMDb ids; movie years more than 1 apart.
 */
export function scoreCandidate(record: SourceRecord, ev: ReturnType<typeof evidenceOf>, candidate: IndexedTitle): { confidence: number; reasons: string[] } | undefined {
  if (candidate.kind !== record.kind) return undefined;
  if (ev.imdb && candidate.imdb && ev.imdb !== candidate.imdb) return undefined;
  const reasons: string[] = ['same normalized title'];
  let score = 1.2; // prior for an exact normalized-title match of the same kind
  const yearGap = ev.year !== undefined && candidate.year !== undefined ? Math.abs(ev.year - candidate.year) : undefined;
  if (record.kind === 'movie') {
    if (yearGap === undefined) score -= 0.4;
    else if (yearGap === 0) { score += 1.2; reasons.push('same year'); }
    else if (yearGap === 1) { score += 0.4; reasons.push('year ±1'); }
    else return undefined;
  } else if (yearGap !== undefined) {
    // A series' "release year" is often its latest season, so a gap is weak evidence either way.
    if (yearGap <= 1) { score += 0.8; reasons.push(yearGap === 0 ? 'same year' : 'year ±1'); }
    else if (yearGap > 8) score -= 1.0;
    else score -= 0.2;
  }
  if (ev.directors.size > 0 && candidate.directors.size > 0) {
    const shared = overlap(ev.directors, candidate.directors);
    if (shared > 0) { score += 2.0; reasons.push(`${shared} shared director(s)`); }
    else score -= 1.6;
  }
  if (ev.cast.size > 0 && candidate.cast.size > 0) {
    const shared = overlap(ev.cast, candidate.cast);
    if (shared > 0) { score += Math.min(2.0, 0.8 * shared); reasons.push(`${shared} shared cast`); }
    else score -= 0.8;
  }
  if (ev.runtimeMinutes !== undefined && candidate.runtimeMinutes !== undefined && record.kind === 'movie') {
    const gap = Math.abs(ev.runtimeMinutes - candidate.runtimeMinutes);
    if (gap <= 5) { score += 0.6; reasons.push('runtime within 5 min'); }
    else if (gap > 20) score -= 1.0;
  }
  if (ev.countries.size > 0 && candidate.countries.size > 0) {
    if (overlap(ev.countries, candidate.countries) > 0) { score += 0.3; reasons.push('shared country'); }
    else score -= 0.3;
  }
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
      return { titleId, method: 'external-id', confidence: 1, reason: `same ${key.split(':')[0]} id ${key.slice(key.indexOf(':') + 1)}` };
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
  for (const candidate of index.candidates(ev.normTitles)) {
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
