import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ItemTable } from '../src/item-table.ts';
import { rank } from '../src/ranker.ts';
import { similarWhy } from '../src/recommender-service.ts';
import { UserAdapter } from '../src/user-adapter.ts';
import { genreCatalog, idsOf, lookupOf } from './test-items.ts';

const items = genreCatalog(40);
const lookup = lookupOf(items);
const genreOf = (i: number) => items.genres[i]![0];
const NOW = Date.UTC(2025, 0, 1);

describe('ranker', () => {
  test('cold start with onboarding picks: titles like the picks, "picked" as the reason, picks not repeated', () => {
    const seeds = idsOf(items, 'western').slice(0, 2);
    const out = rank({ items, adapter: new UserAdapter('new'), seeds, now: NOW, limit: 10 });
    assert.equal(out.length, 10);
    assert.ok(out.every((r) => !seeds.includes(items.ids[r.index]!)));
    assert.ok(
      out.filter((r) => genreOf(r.index) === 'western').length >= 8,
      out.map((r) => items.ids[r.index]).join(','),
    );
    assert.equal(out[0]!.reason.kind, 'liked');
    assert.equal(out[0]!.reason.kind === 'liked' && out[0]!.reason.strength, 'picked');
  });

  test('cold start without picks: trends first, else popularity; never another person', () => {
    const trending = items.index.get('documentary-3')!;
    const out = rank({
      items,
      adapter: new UserAdapter('new'),
      now: NOW,
      limit: 5,
      trend: { score: new Map([[trending, 0.6]]), where: () => ({ platform: 'netflix', region: 'US' }) },
    });
    assert.equal(out[0]!.index, trending);
    assert.deepEqual(out[0]!.reason, { kind: 'trending', platform: 'netflix', region: 'US' });
    assert.ok(out.slice(1).every((r) => r.reason.kind === 'popular'));
    const byPrior = [...out.slice(1)].map((r) => items.prior[r.index]!);
    assert.deepEqual(
      byPrior,
      [...byPrior].sort((a, b) => b - a),
      'the rest by popularity',
    );
  });

  test('a liked title is named as the reason only for titles that resemble it', () => {
    const a = new UserAdapter('mixed');
    const horror = idsOf(items, 'horror');
    for (const id of horror.slice(0, 2)) a.update({ type: 'like', titleId: id, at: NOW }, lookup);
    a.update({ type: 'dislike', titleId: horror[10]!, at: NOW }, lookup);
    const out = rank({ items, adapter: a, now: NOW, limit: 10, exhaustive: true });
    for (const r of out)
      if (r.reason.kind === 'liked')
        assert.equal(genreOf(r.index), 'horror', `${items.ids[r.index]} credited to a horror title`);
  });

  test('dislikes push similar titles down but do not pull up titles merely unlike them', () => {
    const a = new UserAdapter('taste');
    for (const id of idsOf(items, 'horror').slice(0, 2)) a.update({ type: 'like', titleId: id, at: NOW }, lookup);
    for (const [k, g] of ['romance', 'comedy', 'documentary'].entries())
      a.update({ type: 'dislike', titleId: idsOf(items, g)[10 + k]!, at: NOW }, lookup);
    const out = rank({ items, adapter: a, now: NOW, limit: 10, exhaustive: true });
    const genres = out.map((r) => genreOf(r.index));
    // Science fiction and westerns are unlike all three dislikes: that alone must not lift them above liked horror.
    assert.deepEqual(new Set(genres), new Set(['horror']), `only the liked genre: ${genres.join(',')}`);
    for (const r of out.filter((r) => r.reason.kind === 'liked'))
      assert.equal(genreOf(r.index), 'horror', `"because you liked" only for what resembles a liked title`);
  });

  test('only allowed titles, and never what the person finished', () => {
    const a = new UserAdapter('p');
    const horror = idsOf(items, 'horror');
    for (const id of horror.slice(0, 3)) a.update({ type: 'complete', titleId: id, at: NOW }, lookup);
    const allowed = new Uint8Array(items.size);
    for (const id of horror) allowed[items.index.get(id)!] = 1;
    const out = rank({ items, adapter: a, allowed, now: NOW, limit: 100 });
    assert.equal(out.length, horror.length - 3);
    assert.ok(out.every((r) => genreOf(r.index) === 'horror' && !horror.slice(0, 3).includes(items.ids[r.index]!)));
  });

  test('retrieved candidates give the same top 20 as scoring every title', () => {
    // Large enough that retrieval looks at a fraction of the catalog.
    const items = genreCatalog(400);
    const lookup = lookupOf(items);
    const a = new UserAdapter('q');
    for (const id of idsOf(items, 'comedy').slice(0, 5)) a.update({ type: 'like', titleId: id, at: NOW }, lookup);
    a.update({ type: 'dislike', titleId: 'horror-2', at: NOW }, lookup);
    for (const mood of [undefined, 'scary'] as const) {
      const fast = rank({ items, adapter: a, now: NOW, limit: 20, context: { mood } }).map((r) => r.index);
      const full = rank({ items, adapter: a, now: NOW, limit: 20, context: { mood }, exhaustive: true }).map(
        (r) => r.index,
      );
      assert.deepEqual(fast, full, `mood ${mood}`);
      assert.ok(fast.filter((i) => items.genres[i]![0] === (mood ? 'horror' : 'comedy')).length >= 10);
    }
  });

  test('the hour and device only reorder a shortlist: short titles move up late at night, a liked genre stays', () => {
    // Pairs of equally popular comedies, one 95 minutes and one 165, plus a few westerns.
    const items = new ItemTable([
      ...Array.from({ length: 30 }, (_, k) => [
        {
          id: `short-${k}`,
          title: `short ${k}`,
          kind: 'movie' as const,
          year: 2000,
          genres: ['comedy'],
          runtimeMinutes: 95,
          popularity: 100 - k,
        },
        {
          id: `long-${k}`,
          title: `long ${k}`,
          kind: 'movie' as const,
          year: 2000,
          genres: ['comedy'],
          runtimeMinutes: 165,
          popularity: 100 - k,
        },
      ]).flat(),
      ...Array.from({ length: 6 }, (_, k) => ({
        id: `western-${k}`,
        title: `western ${k}`,
        kind: 'movie' as const,
        year: 1960,
        genres: ['western'],
        runtimeMinutes: 170,
        popularity: 10,
      })),
    ]);
    const lookup = lookupOf(items);
    const longShare = (out: ReturnType<typeof rank>) =>
      out.filter((r) => items.ids[r.index]!.startsWith('long-')).length;
    const cold = (hour?: number) =>
      rank({ items, adapter: new UserAdapter('c'), now: NOW, limit: 10, context: { hour } });
    const plain = cold();
    const night = cold(1);
    assert.ok(
      longShare(night) < longShare(plain),
      `fewer 165-minute films at 1 a.m. (${longShare(night)} vs ${longShare(plain)})`,
    );
    const shortlist = new Set(rank({ items, adapter: new UserAdapter('c'), now: NOW, limit: 20 }).map((r) => r.index));
    assert.ok(
      night.every((r) => shortlist.has(r.index)),
      'nothing from outside the shortlist',
    );
    assert.deepEqual(
      cold(14).map((r) => r.index),
      plain.map((r) => r.index),
      'mid-afternoon has no nudge',
    );
    // Likes outweigh the guess: three liked long westerns keep westerns on top at 1 a.m.
    const fan = new UserAdapter('w');
    for (const id of ['western-0', 'western-1', 'western-2'])
      fan.update({ type: 'like', titleId: id, at: NOW }, lookup);
    const fanNight = rank({ items, adapter: fan, now: NOW, limit: 10, context: { hour: 1, device: 'mobile' } });
    assert.ok(items.ids[fanNight[0]!.index]!.startsWith('western-'), items.ids[fanNight[0]!.index]);
  });

  test('similar titles say only what overlaps: genres, people, era; nothing when nothing does', () => {
    const items = new ItemTable([
      { id: 'a', title: 'A', kind: 'movie', year: 1994, genres: ['drama'], directors: ['Jane Roe'], cast: ['Sam Poe'] },
      { id: 'b', title: 'B', kind: 'movie', year: 2011, genres: ['comedy'], directors: ['Jane Roe'] },
      { id: 'c', title: 'C', kind: 'movie', year: 1991, genres: ['western'] },
      { id: 'd', title: 'D', kind: 'movie', year: 2020, genres: ['horror'] },
      { id: 'e', title: 'E', kind: 'movie', year: 2001, genres: ['drama'] },
    ]);
    const i = (id: string) => items.index.get(id)!;
    assert.equal(similarWhy(items, i('a'), i('e'), 0, ['drama']), 'like A: drama');
    assert.equal(similarWhy(items, i('a'), i('b'), 0, []), 'also with Jane Roe, like A');
    assert.equal(similarWhy(items, i('a'), i('c'), 0, []), 'from the 1990s, like A');
    assert.equal(similarWhy(items, i('a'), i('d'), 0, []), null);
    assert.equal(similarWhy(items, i('a'), i('d'), 0.2, []), 'people who liked A also liked it');
  });
});
