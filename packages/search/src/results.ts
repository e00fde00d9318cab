import { offerAge } from '@media-gateway/catalog';
import { getPlatform } from '@media-gateway/domain';
import type { SearchHit, SearchOffer } from '@media-gateway/domain/contracts';
import type { CatalogEntry, TitleCatalog } from './index/title-catalog.ts';
import type { Constraints } from './retrieve/filters.ts';
import { freeOn, leavingBy } from './retrieve/filters.ts';
import { peopleNamedIn, type Ranked } from './retrieve/rank.ts';
import { contentTerms, hasWord, stemmedWords } from './retrieve/word-match.ts';

/** The wire shapes of a search hit are the API's contracts (`@media-gateway/domain/contracts`). */
export type ResultOffer = SearchOffer;

const LINK_RANK: Readonly<Record<SearchOffer['urlKind'], number>> = { direct: 2, search: 1, none: 0 };
export type SearchResult = SearchHit;

/**
 * Materialises one page from the in-memory catalog: title facts plus the offers in the region
 * (only on the requested services when there are any). Links are the stored `web_url`/`url_kind`
 * from the offers table, never built here. Offers that expired since loading are left out.
 */
export function loadPage(
  catalog: TitleCatalog,
  page: Ranked[],
  c: Constraints,
  why: (r: Ranked) => string,
): SearchResult[] {
  const out: SearchResult[] = [];
  for (const r of page) {
    const e = catalog.entries.get(r.id);
    if (!e) continue;
    const offers: ResultOffer[] = [];
    for (const o of e.offerList) {
      if (o.region !== c.region || (o.until !== null && o.until <= c.now)) continue;
      if (c.services.length && !c.services.includes(o.platform)) continue;
      // One offer per platform+monetization: several sources may report the same availability;
      // the one with the better link wins (direct, then search, then none).
      const same = offers.findIndex((x) => x.platform === o.platform && x.monetization === o.monetization);
      if (same >= 0 && LINK_RANK[offers[same]!.urlKind] >= LINK_RANK[o.urlKind]) continue;
      if (same >= 0) offers.splice(same, 1);
      const platformName = getPlatform(o.platform)?.name ?? o.reportedName;
      offers.push({
        platform: o.platform,
        ...(platformName ? { platformName } : {}),
        region: o.region,
        monetization: o.monetization,
        ...(o.price !== null ? { price: o.price } : {}),
        ...(o.currency ? { currency: o.currency } : {}),
        url: o.url,
        urlKind: o.urlKind,
        lastSeen: o.seenAt === null ? null : new Date(o.seenAt).toISOString(),
        ...(o.until !== null ? { availableUntil: new Date(o.until).toISOString() } : {}),
        ...ageOf(o.seenAt, c.now, o.staleDays),
        ...(o.sample ? { sample: true as const } : {}),
      });
    }
    out.push({
      id: e.id,
      title: e.title,
      year: e.year,
      type: e.kind,
      runtimeMinutes: e.runtime,
      ...(e.kind === 'series' && e.seasons ? { seasons: e.seasons } : {}),
      genres: e.genres,
      maturity: e.maturityLabel ? { label: e.maturityLabel, minAge: e.minAge } : null,
      offers,
      score: Math.round(r.score * 1000) / 1000,
      why: why(r),
    });
  }
  return out;
}

/** How a person constraint reads in a reason; `any` is someone asked for "with" who only directed or created. */
const PERSON_ROLE = { director: 'directed by', cast: 'with', any: 'by or with' } as const;

/** A one-line reason: what matched the words, which constraints it meets, and where it streams. */
export function explain(r: Ranked, c: Constraints, catalog: TitleCatalog, forYou = false): string {
  const e = catalog.entries.get(r.id);
  const parts: string[] = [];
  const i = c.intent;
  if (e && i.text) {
    const matched = wordsMatched(e, i.text);
    if (matched) parts.push(matched);
  }
  if (r.from.has('person') && i.text) {
    const named = peopleNamedIn(catalog, i.text).filter((p) => p.titles.has(r.id));
    if (named.length) parts.push(`with ${named.map((p) => p.name).join(', ')}`);
  }
  const anchors = i.like.filter((l) => l.title).map((l) => l.title);
  if (anchors.length && (r.from.has('vector') || r.from.has('genres'))) parts.push(`similar to ${anchors.join(', ')}`);
  else if (r.from.has('vector') && !parts.length) parts.push('close in meaning to your words');
  const met: string[] = [];
  if (i.type) met.push(i.type);
  if (i.genres.length) met.push(i.genres.join(' + '));
  for (const m of i.moods) {
    const g = e?.genres.filter((x) => (m.anyOf as string[]).includes(x)) ?? [];
    met.push(`${m.mood} (${g.join(', ') || m.anyOf.join('/')})`);
  }
  if (i.excludeGenres.length) met.push(`not ${i.excludeGenres.join('/')}`);
  if (i.yearFrom !== undefined || i.yearTo !== undefined)
    met.push(`${e?.year ?? 'year'} in ${i.yearFrom ?? '…'}–${i.yearTo ?? '…'}`);
  if (i.runtimeMax !== undefined) met.push(`≤ ${i.runtimeMax} min`);
  if (i.runtimeMin !== undefined) met.push(`≥ ${i.runtimeMin} min`);
  if (i.maxAge !== undefined) met.push(`rated for ${i.maxAge}+ or younger`);
  const free = e && i.freeOnly ? freeOn(c)(e) : undefined;
  if (free) met.push(`free on ${getPlatform(free)?.name ?? free}`);
  const leaving = e && i.leavingWithinDays !== undefined ? leavingBy(c, i.leavingWithinDays)(e) : undefined;
  if (leaving)
    met.push(
      `leaves ${getPlatform(leaving.platform)?.name ?? leaving.platform} on ${new Date(leaving.until).toISOString().slice(0, 10)}`,
    );
  if (i.people.length) met.push(i.people.map((p) => `${PERSON_ROLE[p.role]} ${p.name}`).join(', '));
  if (i.countries.length) met.push(`from ${i.countries.join('/')}`);
  if (met.length) parts.push(`meets: ${met.join('; ')}`);
  const where = c.services.length ? c.services.map((s) => getPlatform(s)?.name ?? s).join(' or ') : 'a service';
  parts.push(`available on ${where} in ${c.region}`);
  // A signed-in person's list is ordered by their taste as well (`forYou`): the reason must not say popularity alone.
  // A title no source gave a popularity figure is placed by its year, and says so.
  const known = (e?.popularity ?? 0) > 0;
  const order = known
    ? forYou
      ? 'ranked by your taste and popularity'
      : 'ranked by popularity'
    : forYou
      ? 'ranked by your taste, then newest first,'
      : 'newest first';
  const unknown = known ? '' : ' (no source gave it a popularity figure)';
  if (!i.text && !anchors.length)
    parts.push(
      i.countries.length && known
        ? `${order} among the titles that meet every constraint, a country's own titles before co-productions`
        : `${order} among the titles that meet every constraint${unknown}`,
    );
  return `${parts.join('; ')}.`;
}

function ageOf(seenAt: number | null, now: number, staleDays: number): { age: string; isStale: boolean } {
  const { label, isStale } = offerAge(seenAt === null ? null : new Date(seenAt), now, staleDays);
  return { age: label, isStale };
}

/** Where a title holds the typed words, each named once where it counts most: title, then credits, then story. */
const FIELDS = [
  { where: 'the title', text: (e: CatalogEntry) => e.title },
  { where: 'the credits', text: (e: CatalogEntry) => `${e.directors.join(' ')} ${e.cast.join(' ')}` },
  { where: 'the description', text: (e: CatalogEntry) => e.description },
] as const;

/**
 * `matches "star", "wars" in the title` or `matches "john" in the credits`: whole words only, so a reason never
 * claims a word a title holds only inside another ("wick" in "Chadwick"), and "the" or "of" are never named.
 */
export function wordsMatched(e: CatalogEntry, text: string): string | undefined {
  let left = contentTerms(text);
  const found: string[] = [];
  for (const field of FIELDS) {
    if (left.length === 0) break;
    const words = stemmedWords(field.text(e));
    const here = left.filter((t) => hasWord(words, t));
    if (here.length) found.push(`"${here.join('", "')}" in ${field.where}`);
    left = left.filter((t) => !here.includes(t));
  }
  return found.length ? `matches ${found.join(' and ')}` : undefined;
}
