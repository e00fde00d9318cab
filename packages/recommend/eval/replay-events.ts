import { CONTENT_DIM } from '../src/content-vectors.ts';
import type { ItemTable } from '../src/item-table.ts';
import type { ContentLookup, UserAdapter } from '../src/user-adapter.ts';
import type { Rating } from './movielens-loader.ts';

/** A MovieLens rating as the events a person would send: they finished it and rated it. */
export function ratingEvents(r: Rating) {
  return [
    { type: 'complete' as const, titleId: r.item, at: r.at },
    { type: 'rating' as const, titleId: r.item, value: Math.round(r.rating), at: r.at },
  ];
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

/** Feeds a person's ratings, in time order, to their adapter (the online path the API runs). */
export function feedUser(adapter: UserAdapter, ratings: readonly Rating[], lookup: ContentLookup): void {
  for (const r of ratings) for (const e of ratingEvents(r)) adapter.update(e, lookup);
}
