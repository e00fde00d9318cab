import type { Queryable } from '@media-gateway/db';
import { DomainError, hasControlCharacter } from '@media-gateway/domain';
import type { TitlePage } from '@media-gateway/domain/contracts';
import type { StalenessPolicy } from './offer-age.ts';
import { loadOffers } from './get-title.ts';
import { TITLE_COLUMNS, type TitleRow, toSummary } from './title-row.ts';
import { SAMPLE_DATA, SAMPLE_SOURCE } from '../sample-constants.ts';

export interface ListTitlesFilter {
  platform?: string | undefined;
  type?: 'movie' | 'series' | undefined;
  genre?: string | undefined;
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  region?: string | undefined;
  limit: number;
  cursor?: string | undefined;
  /** "Now" from the caller's clock (offers that ended before it do not count). */
  now?: number | undefined;
  /** How long offers may go unconfirmed, by source kind, before they are shown as stale. */
  staleness?: StalenessPolicy | undefined;
}

export type { TitlePage };

/** Cursor = position after the last item in (norm_title, id) order; opaque base64url to callers. */
export function encodeCursor(normTitle: string, id: string): string {
  return Buffer.from(JSON.stringify([normTitle, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    // Our cursors hold a normalised title and an id: never control characters, never long.
    const ok = (s: unknown): s is string => typeof s === 'string' && s.length <= 1000 && !hasControlCharacter(s);
    if (Array.isArray(value) && value.length === 2 && ok(value[0]) && ok(value[1])) return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new DomainError('INVALID_INPUT', 'The cursor is not one this API issued.', {
    issues: [{ path: 'query.cursor', message: 'malformed cursor' }],
  });
}

/** Lists titles in a stable order with filters; offers are limited to the region when one is given. */
export async function listTitles(db: Queryable, f: ListTitlesFilter): Promise<TitlePage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.type) where.push(`t.kind = ${p(f.type)}`);
  if (f.genre) where.push(`${p(f.genre)} = ANY(t.genres)`);
  if (f.yearFrom !== undefined) where.push(`t.year >= ${p(f.yearFrom)}`);
  if (f.yearTo !== undefined) where.push(`t.year <= ${p(f.yearTo)}`);
  if (f.platform || f.region) {
    const conds = [
      'o.title_id = t.id',
      `(o.available_until IS NULL OR o.available_until > ${p(new Date(f.now ?? Date.now()))})`,
    ];
    if (f.platform) conds.push(`o.platform = ${p(f.platform)}`);
    if (f.region) conds.push(`o.region = ${p(f.region)}`);
    where.push(`EXISTS (SELECT 1 FROM offers o WHERE ${conds.join(' AND ')})`);
  }
  if (f.cursor) {
    const [norm, id] = decodeCursor(f.cursor);
    where.push(`(t.norm_title, t.id) > (${p(norm)}, ${p(id)})`);
  }
  const sql = `SELECT ${TITLE_COLUMNS} FROM titles t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY t.norm_title, t.id LIMIT ${p(f.limit + 1)}`;
  const rows = (await db.query<TitleRow>(sql, params)).rows;
  const page = rows.slice(0, f.limit);
  const offers = await loadOffers(
    db,
    page.map((r) => r.id),
    f.region,
    f.now,
    f.staleness,
  );
  const last = page.at(-1);
  const items = page.map((r) => ({
    ...toSummary(r),
    offers: (offers.get(r.id) ?? []).filter((o) => !f.platform || o.platform === f.platform),
  }));
  return {
    items,
    nextCursor: rows.length > f.limit && last ? encodeCursor(last.norm_title, last.id) : null,
    sampleData: items.some((t) => t.offers.some((o) => o.source === SAMPLE_SOURCE)) ? SAMPLE_DATA : null,
  };
}
