import type { Queryable } from '@media-gateway/db';
import { getPlatform } from '@media-gateway/domain';
import type { TitleCatalog } from './index/title-catalog.ts';
import type { Constraints } from './retrieve/filters.ts';
import { queryTerms } from './retrieve/filters.ts';
import type { Ranked } from './retrieve/rank.ts';

export interface ResultOffer {
  platform: string;
  region: string;
  monetization: string;
  price?: number;
  currency?: string;
  url: string;
  urlKind: 'direct' | 'search';
}

export interface SearchResult {
  id: string;
  title: string;
  year: number | null;
  type: 'movie' | 'series';
  runtimeMinutes: number | null;
  seasons?: number;
  genres: string[];
  maturity: { label: string; minAge: number | null } | null;
  offers: ResultOffer[];
  score: number;
  why: string;
}

interface PageRow {
  id: string; kind: 'movie' | 'series'; title: string; year: number | null; runtime_minutes: number | null; seasons: number | null;
  genres: string[]; maturity_label: string | null; maturity_min_age: number | null;
}

/**
 * Materialises one page: title facts plus the offers in the region (only on the requested
 * services when there are any). Links are the stored `web_url`/`url_kind`: never built here.
 */
export async function loadPage(db: Queryable, page: Ranked[], c: Constraints, why: (r: Ranked) => string): Promise<SearchResult[]> {
  if (page.length === 0) return [];
  const ids = page.map((r) => r.id);
  const [titles, offers] = await Promise.all([
    db.query<PageRow>(`SELECT id, kind, title, year, runtime_minutes, seasons, genres, maturity_label, maturity_min_age FROM titles WHERE id = ANY($1::text[])`, [ids]),
    db.query<{ title_id: string; platform: string; region: string; monetization: string; price: number | null; currency: string | null; web_url: string; url_kind: 'direct' | 'search' }>(
      `SELECT title_id, platform, region, monetization, price, currency, web_url, url_kind FROM offers
       WHERE title_id = ANY($1::text[]) AND region = $2 AND (available_until IS NULL OR available_until > now())
         AND ($3::text[] IS NULL OR platform = ANY($3::text[]))
       ORDER BY platform, monetization`,
      [ids, c.region, c.services.length ? c.services : null],
    ),
  ]);
  const byId = new Map(titles.rows.map((t) => [t.id, t]));
  const offersBy = new Map<string, ResultOffer[]>();
  for (const o of offers.rows) {
    const list = offersBy.get(o.title_id) ?? [];
    // One offer per platform+monetization: several sources may report the same availability.
    if (!list.some((x) => x.platform === o.platform && x.monetization === o.monetization)) {
      list.push({
        platform: o.platform, region: o.region, monetization: o.monetization,
        ...(o.price !== null ? { price: o.price } : {}), ...(o.currency ? { currency: o.currency } : {}),
        url: o.web_url, urlKind: o.url_kind,
      });
    }
    offersBy.set(o.title_id, list);
  }
  const out: SearchResult[] = [];
  for (const r of page) {
    const t = byId.get(r.id);
    if (!t) continue; // deleted between ranking and loading
    out.push({
      id: t.id, title: t.title, year: t.year, type: t.kind, runtimeMinutes: t.runtime_minutes,
      ...(t.kind === 'series' && t.seasons ? { seasons: t.seasons } : {}),
      genres: t.genres, maturity: t.maturity_label ? { label: t.maturity_label, minAge: t.maturity_min_age } : null,
      offers: offersBy.get(t.id) ?? [], score: Math.round(r.score * 1000) / 1000, why: why(r),
    });
  }
  return out;
}

/** A one-line reason: what matched the words, which constraints it meets, and where it streams. */
export function explain(r: Ranked, c: Constraints, catalog: TitleCatalog): string {
  const e = catalog.entries.get(r.id);
  const parts: string[] = [];
  const i = c.intent;
  if (e && i.text) {
    const hay = `${e.title} ${e.description} ${e.directors.join(' ')} ${e.cast.join(' ')}`.toLowerCase();
    const hits = queryTerms(i.text).filter((t) => hay.includes(t));
    if (hits.length) parts.push(`matches "${hits.join('", "')}"${e.title.toLowerCase().includes(hits[0]!) ? ' in the title' : ''}`);
  }
  const anchors = i.like.filter((l) => l.title).map((l) => l.title);
  if (anchors.length && r.from.has('vector')) parts.push(`similar to ${anchors.join(', ')}`);
  else if (r.from.has('vector') && !parts.length) parts.push('close in meaning to your words');
  const met: string[] = [];
  if (i.type) met.push(i.type);
  if (i.genres.length) met.push(i.genres.join(' + '));
  for (const m of i.moods) {
    const g = e?.genres.filter((x) => (m.anyOf as string[]).includes(x)) ?? [];
    met.push(`${m.mood} (${g.join(', ') || m.anyOf.join('/')})`);
  }
  if (i.excludeGenres.length) met.push(`not ${i.excludeGenres.join('/')}`);
  if (i.yearFrom !== undefined || i.yearTo !== undefined) met.push(`${e?.year ?? 'year'} in ${i.yearFrom ?? '…'}–${i.yearTo ?? '…'}`);
  if (i.runtimeMax !== undefined) met.push(`≤ ${i.runtimeMax} min`);
  if (i.runtimeMin !== undefined) met.push(`≥ ${i.runtimeMin} min`);
  if (i.maxAge !== undefined) met.push(`rated for ${i.maxAge}+ or younger`);
  if (i.people.length) met.push(i.people.map((p) => `${p.role === 'director' ? 'directed by' : 'with'} ${p.name}`).join(', '));
  if (i.countries.length) met.push(`from ${i.countries.join('/')}`);
  if (met.length) parts.push(`meets: ${met.join('; ')}`);
  const where = c.services.length ? c.services.map((s) => getPlatform(s)?.name ?? s).join(' or ') : 'a service';
  parts.push(`available on ${where} in ${c.region}`);
  if (!i.text && !anchors.length) parts.push('ranked by popularity among the titles that meet every constraint');
  return `${parts.join('; ')}.`;
}
