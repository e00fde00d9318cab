import type { Queryable } from '@media-gateway/db';
import { getPlatform } from '@media-gateway/domain';
import { getTitle } from '../queries/get-title.ts';

/**
 * Streams every canonical title as one JSON object per line (the format `ingest --format jsonl`
 * reads back): the title's facts, external ids and offers with their links.
 */
export async function* exportJsonl(db: Queryable, options: { pageSize?: number } = {}): AsyncGenerator<string> {
  const pageSize = options.pageSize ?? 500;
  let after = '';
  for (;;) {
    const ids = await db.query<{ id: string }>('SELECT id FROM titles WHERE id > $1 ORDER BY id LIMIT $2', [
      after,
      pageSize,
    ]);
    if (ids.rows.length === 0) return;
    for (const { id } of ids.rows) {
      const t = await getTitle(db, id);
      if (!t) continue;
      const offers = Object.values(t.offers).flatMap((byPlatform) => Object.values(byPlatform).flat());
      const externalIds: Record<string, unknown> = {};
      const platforms: Record<string, string> = {};
      for (const [ns, value] of Object.entries(t.externalIds)) {
        if (ns.startsWith('platform:')) platforms[ns.slice(9)] = value;
        else externalIds[ns] = value;
      }
      if (Object.keys(platforms).length) externalIds['platforms'] = platforms;
      yield JSON.stringify({
        id: t.id,
        kind: t.type,
        title: t.title,
        ...(t.originalTitle ? { originalTitle: t.originalTitle } : {}),
        alternateTitles: t.alternateTitles,
        ...(t.year !== null ? { year: t.year } : {}),
        ...(t.runtimeMinutes !== null ? { runtimeMinutes: t.runtimeMinutes } : {}),
        ...(t.seasons !== null ? { seasons: t.seasons } : {}),
        genres: t.genres,
        ...(t.maturity ? { maturity: t.maturity } : {}),
        countries: t.countries,
        languages: t.languages,
        directors: t.people.directors,
        cast: t.people.cast,
        creators: t.people.creators,
        ...(t.description ? { description: t.description.text } : {}),
        externalIds,
        offers: offers.map((o) => ({
          platform: o.platform,
          // A provider the registry does not know keeps the name its source reported across export/import.
          ...(getPlatform(o.platform) ? {} : { platformName: o.platformName }),
          region: o.region,
          monetization: o.monetization,
          ...(o.price !== null ? { price: o.price } : {}),
          ...(o.currency ? { currency: o.currency } : {}),
          ...(o.quality ? { quality: o.quality } : {}),
          url: o.url,
          urlKind: o.urlKind,
          ...(o.availableFrom ? { availableFrom: o.availableFrom } : {}),
          ...(o.availableUntil ? { availableUntil: o.availableUntil } : {}),
          source: o.source,
          lastSeen: o.lastSeen,
        })),
      });
    }
    after = ids.rows.at(-1)!.id;
  }
}
