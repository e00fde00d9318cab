import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

interface Hit {
  id: string;
  genres: string[];
  why: string;
}
interface Answer {
  understood: { notes: string[] };
  results: Hit[];
}

/** Personal ranking in search (issue 18, decision 0056): the person's taste reorders, never filters. */
for (const backend of testBackends()) {
  describe(`search ranked for the person (${backend})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp({ backend, sample: true });
    });
    after(async () => t.close());

    const search = async (token: string | undefined, body: Record<string, unknown>): Promise<Answer> => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/search',
        payload: body,
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Answer;
    };
    const withGenre = async (genre: string) =>
      (
        await t.ctx.db.query<{ id: string }>('SELECT id FROM titles WHERE $1 = ANY(genres) ORDER BY id', [genre])
      ).rows.map((r) => r.id);
    const position = (hits: Hit[], genre: string) => {
      const i = hits.findIndex((h) => h.genres.includes(genre));
      return i < 0 ? hits.length : i;
    };

    test(
      'a horror fan sees horror earlier in a broad search; ' +
        'the same titles, and personal: false gives the plain order',
      async () => {
        const token = await t.token('fan', ['recommendations']);
        const horror = await withGenre('horror');
        assert.ok(horror.length >= 3, 'the sample has horror titles');
        const liked = horror.slice(0, 2);
        const events = liked.map((titleId, i) => ({ id: `like-${i}`, type: 'like', titleId }));
        const sent = await t.app.inject({
          method: 'POST',
          url: '/api/events',
          payload: { events },
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(sent.statusCode, 202, sent.body);

        const query = { query: 'movies', limit: 50 };
        const plain = await search(token, { ...query, personal: false });
        const personal = await search(token, query);
        const anonymous = await search(undefined, query);
        assert.deepEqual(
          plain.results.map((h) => h.id),
          anonymous.results.map((h) => h.id),
          'personal: false is the anonymous order',
        );
        assert.deepEqual(
          personal.results.map((h) => h.id).sort(),
          plain.results.map((h) => h.id).sort(),
          'the same titles: taste reorders, it never adds or removes',
        );
        assert.ok(
          position(personal.results, 'horror') < position(plain.results, 'horror'),
          `horror comes earlier for the fan (${position(personal.results, 'horror')} ` +
            `vs ${position(plain.results, 'horror')})`,
        );
        assert.ok(personal.understood.notes.some((n) => n.startsWith('Ranked for you')));
        // Words for people, not for API clients; and no card claims popularity alone ordered it.
        assert.ok(personal.understood.notes.every((n) => !n.includes('personal: false')));
        assert.ok(personal.results.every((h) => !h.why.includes('ranked by popularity')));
        assert.ok(personal.results.every((h) => h.why.includes('ranked by your taste')));
        assert.ok(personal.results.some((h) => h.why.includes('ranked higher for you')));
        assert.ok(!plain.understood.notes.some((n) => n.includes('for you')));
      },
    );

    test('no history: plain order and a note; a token without the recommendations scope: never personal', async () => {
      const stranger = await t.token('stranger', ['recommendations']);
      const query = { query: 'movies', limit: 20 };
      const plain = await search(undefined, query);
      const cold = await search(stranger, query);
      assert.deepEqual(
        cold.results.map((h) => h.id),
        plain.results.map((h) => h.id),
      );
      assert.ok(cold.understood.notes.some((n) => n.startsWith('Not ranked for you yet')));

      const reader = await t.token('fan', ['catalog:read']);
      const scoped = await search(reader, query);
      assert.ok(!scoped.understood.notes.some((n) => n.includes('for you')));
    });

    test('pages of a personal search do not repeat or skip titles', async () => {
      const token = await t.token('fan', ['recommendations']);
      const first = await t.app.inject({
        method: 'POST',
        url: '/api/search',
        payload: { query: 'movies', limit: 10 },
        headers: { authorization: `Bearer ${token}` },
      });
      const one = first.json() as Answer & { nextCursor?: string };
      assert.ok(one.nextCursor);
      const two = await search(token, { query: 'movies', limit: 10, cursor: one.nextCursor });
      const all = await search(token, { query: 'movies', limit: 20 });
      assert.deepEqual(
        [...one.results, ...two.results].map((h) => h.id),
        all.results.map((h) => h.id),
      );
    });
  });
}
