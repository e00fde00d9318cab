import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GENRES } from '@media-gateway/domain';
import { testBackends } from '@media-gateway/testkit';
import { contrastRatio, coverPalette } from '../src/home/cover-palette.ts';
import { coverSvg, escapeXml, wrapTitle } from '../src/home/cover-svg.ts';
import { addHomeFixtures, FIXTURE } from './home-fixtures.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/** The text nodes of an SVG, entities left as they are: no raw markup character may appear in one. */
function textNodes(svg: string): string[] {
  return [...svg.matchAll(/>([^<]*)</g)].map((m) => m[1]!).filter(Boolean);
}
/** Attribute values (double-quoted, as the generator writes them). */
function attributes(svg: string): string[] {
  return [...svg.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
}
const RAW = /[<>"']|&(?!(amp|lt|gt|quot|apos);)/;
const decodeEntities = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);

describe('generated covers (unit)', () => {
  test('markup in a title is escaped in text and attributes; the words survive', () => {
    const svg = coverSvg({
      id: 'mg_aaaaaaaaaaaa',
      title: FIXTURE.markup,
      year: 2024,
      kind: 'movie',
      genres: ['family'],
    });
    for (const text of textNodes(svg)) assert.doesNotMatch(text, RAW, text);
    for (const value of attributes(svg)) assert.doesNotMatch(value, /[<>"]|&(?!(amp|lt|gt|quot|apos);)/, value);
    const shown = textNodes(svg).map(decodeEntities).join(' ');
    for (const word of ['Tom', '&', "Jerry's", '<"Quoted">', 'Adventure']) assert.ok(shown.includes(word), word);
    assert.equal(escapeXml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });

  test('characters XML forbids never reach the document', () => {
    const svg = coverSvg({
      id: 'mg_aaaaaaaaaaab',
      title: 'Bad\u0000\u0007Bytes\ud800',
      year: null,
      kind: 'series',
      genres: [],
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking control characters are gone
    assert.doesNotMatch(svg, /[\u0000-\u0008\ud800-\udfff]/);
    assert.match(svg, /Bad Bytes/);
  });

  test('long titles wrap into lines that fit and end in an ellipsis; a long word is split', () => {
    const lines = wrapTitle(FIXTURE.long, 18, 6);
    assert.equal(lines.length, 6);
    for (const l of lines) assert.ok(Array.from(l).length <= 18, l);
    assert.ok(lines[5]!.endsWith('…'));
    assert.deepEqual(wrapTitle('Supercalifragilistic', 8, 4), ['Supercal', 'ifragili', 'stic']);
    // Code points, not UTF-16 units: an emoji is never cut in half.
    assert.deepEqual(wrapTitle('🎬🎬🎬🎬🎬', 2, 5), ['🎬🎬', '🎬🎬', '🎬']);
    const svg = coverSvg({ id: 'mg_aaaaaaaaaaac', title: FIXTURE.long, year: 1999, kind: 'movie', genres: ['drama'] });
    assert.equal((svg.match(/<tspan /g) ?? []).length, 6);
  });

  test('colours: the genre family decides the hue, the id keeps it stable, white text is ≥ 7:1', () => {
    assert.deepEqual(coverPalette('mg_aaaaaaaaaaaa', ['horror']), coverPalette('mg_aaaaaaaaaaaa', ['horror']));
    assert.equal(coverPalette('mg_x', ['horror']).family, coverPalette('mg_y', ['thriller']).family);
    assert.notEqual(coverPalette('mg_x', ['horror']).top, coverPalette('mg_x', ['comedy']).top);
    for (const genre of [...GENRES, 'unknown-genre'])
      for (let i = 0; i < 60; i++) {
        const p = coverPalette(`mg_${i.toString(36).padStart(12, 'a')}`, [genre]);
        for (const stop of [p.top, p.bottom]) {
          const ratio = contrastRatio(p.text, stop);
          assert.ok(ratio >= 7, `${genre} ${stop}: ${ratio.toFixed(2)}`);
        }
      }
  });
});

for (const backend of testBackends()) {
  describe(`GET /api/titles/:id/cover.svg (${backend})`, () => {
    let t: TestApp;
    let markupId = '';
    before(async () => {
      t = await createTestApp({ backend, sample: true });
      await addHomeFixtures(t.ctx.db, Date.parse('2025-06-20T12:00:00Z'));
      const { rows } = await t.ctx.db.query<{ id: string }>('SELECT id FROM titles WHERE title = $1', [FIXTURE.markup]);
      markupId = rows[0]!.id;
    });
    after(() => t.close());

    test('an SVG with long-lived caching and an ETag; the same bytes every time', async () => {
      const a = await t.app.inject({ url: `/api/titles/${markupId}/cover.svg` });
      assert.equal(a.statusCode, 200, a.body);
      assert.match(String(a.headers['content-type']), /^image\/svg\+xml/);
      assert.match(String(a.headers['cache-control']), /^public, max-age=604800/);
      assert.match(String(a.headers['content-security-policy']), /default-src 'none'/);
      assert.ok(a.headers.etag);
      assert.match(a.body, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="200" height="300"/);
      assert.match(a.body, /Tom &amp; Jerry&apos;s/);
      for (const text of textNodes(a.body)) assert.doesNotMatch(text, RAW, text);
      const b = await t.app.inject({ url: `/api/titles/${markupId}/cover.svg` });
      assert.equal(b.body, a.body);
      assert.equal(b.headers.etag, a.headers.etag);
      const c = await t.app.inject({
        url: `/api/titles/${markupId}/cover.svg`,
        headers: { 'if-none-match': String(a.headers.etag) },
      });
      assert.equal(c.statusCode, 304);
    });

    test('?w= sets the size within bounds; bad ids and unknown titles are problems', async () => {
      const big = await t.app.inject({ url: `/api/titles/${markupId}/cover.svg?w=400` });
      assert.match(big.body, /width="400" height="600"/);
      assert.notEqual(
        big.headers.etag,
        (await t.app.inject({ url: `/api/titles/${markupId}/cover.svg` })).headers.etag,
      );
      for (const w of ['5', '5000', 'abc']) {
        const res = await t.app.inject({ url: `/api/titles/${markupId}/cover.svg?w=${w}` });
        assert.equal(res.statusCode, 400, w);
        assert.equal(res.json().code, 'INVALID_INPUT');
      }
      const missing = await t.app.inject({ url: '/api/titles/mg_zzzzzzzzzzzz/cover.svg' });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().code, 'NOT_FOUND');
      assert.equal((await t.app.inject({ url: '/api/titles/nope/cover.svg' })).statusCode, 400);
    });
  });
}
