import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TitleCatalog } from '../src/index.ts';
import { emptyIntent } from '../src/understand/intent.ts';
import { rank } from '../src/retrieve/rank.ts';
import { bareEntry, titleId } from './catalog-entries.ts';

/** Streaming on Netflix in the US, with a popularity and production countries. */
const film = (i: number, title: string, popularity: number, countries: string[]) =>
  bareEntry({
    id: titleId(i),
    title,
    popularity,
    countries,
    offers: new Map([['US', new Set(['netflix'])]]),
    offerList: [],
  });
const at = { region: 'US', services: [], now: Date.parse('2026-01-01T00:00:00Z') };
const options = { mode: 'hybrid', fusion: 'rrf', depth: 10, diversify: false } as const;
const deps = (catalog: TitleCatalog) => ({ db: undefined as never, catalog, embedder: undefined, vectors: undefined });

describe("a country's titles", () => {
  it('rank a film from that country alone above a more popular co-production it only shares in', async () => {
    const catalog = new TitleCatalog();
    catalog.upsert(film(1, 'Hollywood co-production', 10, ['DE', 'ES', 'US', 'FR']));
    catalog.upsert(film(2, 'Spanish film', 8, ['ES']));
    catalog.upsert(film(3, 'Spanish-French film', 9, ['ES', 'FR']));
    catalog.upsert(film(4, 'American film', 12, ['US']));
    catalog.sortByPopularity();
    const intent = { ...emptyIntent(), countries: ['ES'] };
    // Constraints only, no words: no channel reads the database.
    const ranked = await rank(deps(catalog), { ...at, intent }, options);
    // 8 × 1 = 8 and 9 × 0.75 = 6.75 above 10 × 0.625 = 6.25; the American film does not meet the filter.
    assert.deepEqual(
      ranked.map((r) => catalog.entries.get(r.id)?.title),
      ['Spanish film', 'Spanish-French film', 'Hollywood co-production'],
    );
    // Without a country asked, popularity alone orders them.
    const all = await rank(deps(catalog), { ...at, intent: emptyIntent() }, options);
    assert.equal(catalog.entries.get(all[0]!.id)?.title, 'American film');
  });

  it('cut every page from one order: a deeper list starts with the shallower one', async () => {
    const catalog = new TitleCatalog();
    // 200 popular co-productions with Spain (popularity ~10, share 1/4: scores ~6.2), then 50 Spanish-only films
    // (popularity ~9.7: scores ~9.7). A browse that re-ranks only a window past the page would miss the Spanish films
    // on a shallow page and find them on a deep one.
    for (let i = 0; i < 200; i++)
      catalog.upsert(film(i, `Co-production ${i}`, 10 - i / 1000, ['ES', 'US', 'FR', 'DE']));
    for (let i = 0; i < 50; i++) catalog.upsert(film(200 + i, `Spanish film ${i}`, 9.7 - i / 1000, ['ES']));
    catalog.sortByPopularity();
    const c = { ...at, intent: { ...emptyIntent(), countries: ['ES'] } };
    const ids = async (depth: number) => (await rank(deps(catalog), c, { ...options, depth })).map((r) => r.id);
    const [first, deeper] = [await ids(11), await ids(41)];
    assert.deepEqual(deeper.slice(0, 11), first);
    assert.equal(catalog.entries.get(first[0]!)?.title, 'Spanish film 0');
  });
});
