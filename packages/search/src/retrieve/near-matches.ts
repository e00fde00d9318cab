import { getPlatform } from '@media-gateway/domain';
import type { CatalogEntry } from '../index/title-catalog.ts';
import type { SearchIntent } from '../understand/intent.ts';
import { type Constraints, freeOn, leavingBy } from './filters.ts';
import { type Ranked, type RankDeps, type RankOptions, rank } from './rank.ts';

/*
 * Never a dead end (decision 0125): when no title meets every constraint, the closest titles that break the fewest
 * and softest ones, each labelled with exactly what it misses ("124 min — over your 2 hours").
 * Relaxation drops one constraint group at a time (then pairs), so every candidate is ranked by the same channels as
 * a normal answer. What is never relaxed: exclusions ("not horror", "not on Netflix", "not from X"), the age rating
 * (a child's limit is not a preference) and availability in the region (a title you cannot watch here is no answer).
 * The query's free words are relaxed last and alone: when no title that meets every constraint matches them ("a
 * documentary about food"), those titles are offered, each labelled `no match for "food"`: the full query, words and
 * all, found none of them. Near matches also follow an answer of fewer than FEW_RESULTS titles ("thriller under 90
 * minutes on Hulu": one); a title that meets every constraint is never one (it misses nothing). A relaxation that
 * leaves nothing about what a title is (only its format, length or services) is skipped.
 */

/** A title close to the query, and what it misses of it. */
export interface NearMatch extends Ranked {
  misses: string[];
  /** Sum of the misses' softness weights: lower is closer. */
  distance: number;
}

interface Group {
  key: string;
  /** The constraints without this group (applied to whatever was already relaxed). */
  drop: (cur: Constraints) => Constraints;
}

const minutes = (m: number) => (m % 60 === 0 ? `${m / 60} hour${m === 60 ? '' : 's'}` : `${m} min`);
const platformNames = (ids: readonly string[]) => ids.map((p) => getPlatform(p)?.name ?? p);

function groups(c: Constraints): Group[] {
  const i = c.intent;
  const out: Group[] = [];
  const patch = (cur: Constraints, change: Partial<SearchIntent>, services = cur.services): Constraints => ({
    ...cur,
    intent: { ...cur.intent, ...change },
    services,
  });
  if (i.type) out.push({ key: 'type', drop: (cur) => patch(cur, { type: undefined }) });
  for (const g of i.genres)
    out.push({ key: `genre:${g}`, drop: (cur) => patch(cur, { genres: cur.intent.genres.filter((y) => y !== g) }) });
  for (const m of i.moods)
    out.push({
      key: `mood:${m.mood}`,
      drop: (cur) => patch(cur, { moods: cur.intent.moods.filter((y) => y.mood !== m.mood) }),
    });
  if (i.yearFrom !== undefined || i.yearTo !== undefined)
    out.push({ key: 'years', drop: (cur) => patch(cur, { yearFrom: undefined, yearTo: undefined }) });
  if (i.runtimeMax !== undefined || i.runtimeMin !== undefined)
    out.push({ key: 'runtime', drop: (cur) => patch(cur, { runtimeMax: undefined, runtimeMin: undefined }) });
  if (i.countries.length || i.languages.length)
    out.push({ key: 'origin', drop: (cur) => patch(cur, { countries: [], languages: [] }) });
  for (const p of i.people)
    out.push({
      key: `person:${p.name}`,
      drop: (cur) => patch(cur, { people: cur.intent.people.filter((y) => y.name !== p.name) }),
    });
  if (c.services.length) out.push({ key: 'services', drop: (cur) => patch(cur, {}, []) });
  return out;
}

/** What `e` misses of `c`, with a softness weight; undefined when it breaks a constraint never relaxed. */
export function missesOf(c: Constraints, e: CatalogEntry): { labels: string[]; distance: number } | undefined {
  const i = c.intent;
  // Platforms with a current offer in the region (an end date is judged by the service's clock).
  const here = new Set(
    e.offerList.filter((o) => o.region === c.region && (o.until === null || o.until > c.now)).map((o) => o.platform),
  );
  if (here.size === 0) return undefined;
  if (i.excludeGenres.some((g) => e.genres.includes(g))) return undefined;
  if (i.excludeServices.some((p) => here.has(p))) return undefined;
  if (i.excludeCountries.some((x) => e.countries.includes(x))) return undefined;
  if (i.maxAge !== undefined && (e.minAge === null || e.minAge > i.maxAge)) return undefined;
  // Leaving is what was asked about: a title that stays is no near match.
  if (i.leavingWithinDays !== undefined && !leavingBy(c, i.leavingWithinDays)(e)) return undefined;
  // Free is what was asked about: a title that costs a subscription is no near match.
  if (i.freeOnly && !freeOn(c)(e)) return undefined;
  const labels: string[] = [];
  let distance = 0;
  const miss = (label: string, weight: number) => {
    labels.push(label);
    distance += weight;
  };
  // The format is softer than the taste: a scary series is closer to "scary movies" than a film that is not scary.
  if (i.type && e.kind !== i.type) miss(e.kind === 'series' ? 'a series, not a film' : 'a film, not a series', 0.9);
  for (const g of i.genres) if (!e.genres.includes(g)) miss(`not ${g}`, 1);
  for (const m of i.moods) if (!m.anyOf.some((g) => e.genres.includes(g))) miss(`not ${m.mood}`, 1);
  if (i.yearFrom !== undefined || i.yearTo !== undefined) {
    if (e.year === null) miss('year unknown', 0.8);
    else if (i.yearFrom !== undefined && e.year < i.yearFrom) miss(`from ${e.year} — before ${i.yearFrom}`, 1);
    else if (i.yearTo !== undefined && e.year > i.yearTo) miss(`from ${e.year} — after ${i.yearTo}`, 1);
  }
  if (i.runtimeMax !== undefined || i.runtimeMin !== undefined) {
    const rt = e.runtime;
    if (rt === null) miss('runtime unknown', 0.8);
    else if (i.runtimeMax !== undefined && rt > i.runtimeMax) {
      const over = (rt - i.runtimeMax) / i.runtimeMax;
      miss(`${rt} min — over your ${minutes(i.runtimeMax)}`, over <= 0.1 ? 0.4 : over <= 0.25 ? 0.7 : 1);
    } else if (i.runtimeMin !== undefined && rt < i.runtimeMin)
      miss(`${rt} min — under your ${minutes(i.runtimeMin)}`, 0.7);
  }
  if (
    (i.countries.length || i.languages.length) &&
    !i.countries.some((x) => e.countries.includes(x)) &&
    !i.languages.some((x) => e.languages.includes(x))
  )
    miss(`not from ${[...i.countries, ...i.languages].join(' or ')}`, 1);
  for (const p of i.people) {
    const has = [...e.directors, ...e.cast, ...e.creators].some((n) => n.toLowerCase() === p.name.toLowerCase());
    if (!has) miss(`without ${p.name}`, 1.5);
  }
  if (c.services.length && !c.services.some((p) => here.has(p))) {
    const elsewhere = platformNames([...here].sort()).slice(0, 2);
    miss(`not on ${platformNames(c.services).join(' or ')} (on ${elsewhere.join(', ')})`, 1.2);
  }
  return { labels, distance };
}

/** Missing the free words weighs as much as a missed genre: they say what the title is about. */
const WORDS_MISS = 1;

/**
 * Whether a relaxed query still says something about what a title is: words, an anchor, a genre or mood, a person,
 * an origin, years or an age limit. Format, length and services alone do not: "directed by Alice Wu on Netflix"
 * without her is every popular title on Netflix, none of them closer to the question than another.
 */
function asksForContent(c: Constraints): boolean {
  const i = c.intent;
  return Boolean(
    i.text ||
      i.like.length ||
      i.genres.length ||
      i.moods.length ||
      i.people.length ||
      i.countries.length ||
      i.languages.length ||
      i.yearFrom !== undefined ||
      i.yearTo !== undefined ||
      i.maxAge !== undefined,
  );
}

/** An answer shorter than this is followed by near matches. */
export const FEW_RESULTS = 3;

/**
 * `keepWords`: after a short answer the free words are not relaxed. Titles that meet every constraint without them
 * ("comedy about a chef": every popular comedy) are further from the question than the answer already given.
 */
export async function findNearMatches(
  deps: RankDeps,
  c: Constraints,
  options: RankOptions & { limit: number; keepWords?: boolean },
): Promise<NearMatch[]> {
  const found = new Map<string, NearMatch>();
  const collect = async (relaxed: Constraints) => {
    if (!asksForContent(relaxed)) return;
    const ranked = await rank(deps, relaxed, { ...options, depth: options.limit * 3 });
    ranked.forEach((r, order) => {
      const e = deps.catalog.entries.get(r.id);
      const m = e && missesOf(c, e);
      if (!m || m.labels.length === 0) return;
      const prev = found.get(r.id);
      // Keep the best position a title reached in any relaxation.
      const score = -order;
      if (!prev || prev.score < score) found.set(r.id, { ...r, score, misses: m.labels, distance: m.distance });
    });
  };
  const all = groups(c);
  for (const g of all) await collect(g.drop(c));
  const withoutWords = { ...c, intent: { ...c.intent, text: '' } };
  if (c.intent.text && !options.keepWords && asksForContent(withoutWords)) {
    for (const n of await missingTheWords(deps, c, options)) if (!found.has(n.id)) found.set(n.id, n);
  }
  if (found.size < options.limit && all.length >= 2) {
    // Then pairs: a query has few constraint groups (rarely more than six), so this stays cheap.
    for (let a = 0; a < all.length && found.size < options.limit; a++)
      for (let b = a + 1; b < all.length && found.size < options.limit; b++)
        await collect(all[b]!.drop(all[a]!.drop(c)));
  }
  return [...found.values()].sort((x, y) => x.distance - y.distance || y.score - x.score).slice(0, options.limit);
}

/** The titles that meet every constraint, most relevant first, each labelled as missing the free words. */
async function missingTheWords(deps: RankDeps, c: Constraints, options: RankOptions & { limit: number }) {
  const withoutWords = { ...c, intent: { ...c.intent, text: '' } };
  const ranked = await rank(deps, withoutWords, { ...options, depth: options.limit });
  return ranked.map(
    (r, order): NearMatch => ({
      ...r,
      score: -order,
      misses: [`no match for "${c.intent.text}"`],
      distance: WORDS_MISS,
    }),
  );
}

/**
 * The last resort of an empty answer (SPEC N2): the free words match no title ("zzzqqq on netflix", a typo no rule
 * reads), and without them only a format, a length or the offers asked for remain, which `findNearMatches` does not
 * offer as near matches (they say nothing of what a title is about). The titles that meet them are still closer to
 * the question than any others: the most popular of them come labelled with the words they miss, rather than
 * nothing. A query of words alone ("oscar winners") still gets none: every title would be as close as any other.
 */
export async function popularWithoutTheWords(
  deps: RankDeps,
  c: Constraints,
  options: RankOptions & { limit: number },
): Promise<NearMatch[]> {
  const withoutWords = { ...c, intent: { ...c.intent, text: '' } };
  // With content left, `findNearMatches` has already offered these titles.
  const onlyFormatLeft = !asksForContent(withoutWords) && asksForFormatOrOffer(withoutWords);
  return c.intent.text && onlyFormatLeft ? missingTheWords(deps, c, options) : [];
}

/** A type, a length, services, or an offer that is free or leaving: what is left when no content is. */
function asksForFormatOrOffer(c: Constraints): boolean {
  const i = c.intent;
  return Boolean(
    c.services.length ||
      i.type ||
      i.runtimeMin !== undefined ||
      i.runtimeMax !== undefined ||
      i.freeOnly ||
      i.leavingWithinDays !== undefined,
  );
}
