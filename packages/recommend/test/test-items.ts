import { ingest, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { type BackendName, freshDb } from '@media-gateway/testkit';
import { ItemTable } from '../src/item-table.ts';
import type { ContentLookup } from '../src/user-adapter.ts';
import { CONTENT_DIM } from '../src/content-vectors.ts';

/**
 * A small synthetic catalog for unit tests: `perGenre` titles in each of a few genres, with
 * distinct decades and people so their content vectors differ inside a genre too.
 */
export function genreCatalog(perGenre = 30): ItemTable {
  const genres = ['comedy', 'horror', 'documentary', 'romance', 'science-fiction', 'western'];
  return new ItemTable(
    genres.flatMap((g) =>
      Array.from({ length: perGenre }, (_, k) => ({
        id: `${g}-${k}`,
        title: `${g} ${k}`,
        kind: 'movie',
        year: 1950 + (k % 7) * 10,
        genres: [g],
        directors: [`director ${g} ${k % 5}`],
        popularity: (k * 7919) % 101,
      })),
    ),
  );
}

export function lookupOf(items: ItemTable): ContentLookup {
  return {
    content: items.content,
    offsetOf: (id) => {
      const i = items.index.get(id);
      return i === undefined ? -1 : i * CONTENT_DIM;
    },
  };
}

export const idsOf = (items: ItemTable, genre: string) => items.ids.filter((id) => id.startsWith(`${genre}-`));

/** A fresh database on `backend` holding the bundled sample catalog, with its title ids in id order. */
export async function sampleCatalogDb(backend: BackendName): Promise<{ db: Db; titles: string[] }> {
  const db = await freshDb(backend);
  await ingest({ db, source: sampleSource() });
  const { rows } = await db.query<{ id: string }>('SELECT id FROM titles ORDER BY id');
  return { db, titles: rows.map((r) => r.id) };
}
