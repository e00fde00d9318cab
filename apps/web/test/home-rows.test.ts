import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ingest } from '@media-gateway/catalog';
import type { SourceRecordInput } from '@media-gateway/domain';
import type { Page } from 'playwright-core';
import { type FakeImageHost, png, pngBytes, startFakeImageHost } from '../../gateway/test/image-host-fake.ts';
import { FIXTURE } from '../../gateway/test/home-fixtures.ts';
import { PERSON, type SeededPerson, seedPerson } from './home-seed.ts';
import { openTv } from './tv-session.ts';
import { SIZES, shoot, signIn, type WebGateway, browserSuite } from './web-harness.ts';

/** A TMDb file path of this test's own; the fake image host answers it with a real 34×51 PNG. */
const POSTER_PATH = '/mgTestStrangerThingsPoster.jpg';
const POSTER = pngBytes(34, 51);

/**
 * Stranger Things as TMDb reports it, with a poster (decision 0109): it resolves onto the sample's
 * title by its IMDb id. No offers and no popularity figure, so the rows stay as the seed makes them.
 */
async function addTmdbPoster(gw: WebGateway): Promise<void> {
  const record: SourceRecordInput = {
    source: 'tmdb',
    sourceKey: 'tv:66732',
    kind: 'series',
    title: 'Stranger Things',
    year: 2016,
    externalIds: { tmdb: 'tv:66732', imdb: 'tt4574334' },
    images: [{ kind: 'poster', source: 'tmdb', ref: POSTER_PATH, attribution: 'TMDb' }],
  };
  const summary = await ingest({
    db: gw.ctx.db,
    source: {
      name: 'tmdb:US',
      async *read() {
        yield { file: 'tmdb', row: 1, record, problems: [] };
      },
    },
    seenAt: new Date(gw.ctx.clock.now()),
  });
  assert.equal(summary.counts.mergedIntoExisting, 1, 'the poster lands on the sample title');
}
/** Brings every cover into view (they load lazily), then checks none is broken. */
async function everyCoverLoads(page: Page): Promise<number> {
  const count = await page.locator('img').count();
  for (let i = 0; i < count; i++) await page.locator('img').nth(i).scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 15_000 });
  const broken = await page.evaluate(() =>
    [...document.images].filter((img) => img.naturalWidth === 0).map((img) => img.getAttribute('src')),
  );
  assert.deepEqual(broken, [], 'no broken images');
  const attrs = await page.evaluate(() =>
    [...document.images].map((img) => ({
      alt: img.hasAttribute('alt'),
      width: img.getAttribute('width'),
      height: img.getAttribute('height'),
      loading: img.getAttribute('loading'),
    })),
  );
  for (const a of attrs) {
    assert.ok(a.alt && a.width && a.height, JSON.stringify(a));
    assert.equal(a.loading, 'lazy');
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return count;
}

let images: FakeImageHost | undefined;

browserSuite(
  'start page rows and TV rows in a browser',
  {
    gateway: async () => {
      images = await startFakeImageHost({
        [`/t/p/w342${POSTER_PATH}`]: png(POSTER),
        [`/t/p/w185${POSTER_PATH}`]: png(POSTER),
      });
      return { fetch: images.fetch };
    },
    setup: async (rig) => {
      await addTmdbPoster(rig.gw);
    },
    teardown: async () => {
      await images?.close();
    },
  },
  (rig) => {
    let person: SeededPerson;
    before(async () => {
      person = await seedPerson(rig.gw);
    });

    test('artwork: a source poster via the proxy on card and title page, credited; every image loads', async () => {
      const context = await rig.browser.newContext({ viewport: SIZES.desktop });
      const page = await context.newPage();
      await page.goto(`${rig.gw.url}/`);
      await page.getByTestId('home-rows').waitFor({ timeout: 15_000 });
      const st = person.titleId('Stranger Things');
      const img = page.locator(`section[data-row="popular"] li[data-title-id="${st}"] img`);
      await img.scrollIntoViewIfNeeded();
      assert.match((await img.getAttribute('src')) ?? '', new RegExp(`^/api/titles/${st}/image/poster\\?size=m&v=`));
      await img.evaluate((el: HTMLImageElement) =>
        el.complete ? undefined : new Promise((resolve) => el.addEventListener('load', resolve, { once: true })),
      );
      assert.equal(
        await img.evaluate((el: HTMLImageElement) => el.naturalWidth),
        34,
        'the source poster (34 px wide), not a generated cover',
      );
      assert.ok(images!.asked.includes(`https://image.tmdb.org/t/p/w342${POSTER_PATH}`), images!.asked.join(' '));
      const all = await everyCoverLoads(page);
      assert.ok(all >= 3, `${all} images`);

      await page.goto(`${rig.gw.url}/title/${st}`);
      const caption = page.locator('.title-poster figcaption');
      await caption.waitFor({ timeout: 15_000 });
      assert.match((await caption.textContent()) ?? '', /^Poster: TMDb · \d{4}-\d{2}-\d{2}$/);
      // Each offer row shows its service's logo (here the generated badge: the sample has no logos).
      assert.ok((await page.locator('.offer-logo').count()) > 0, 'offer rows carry provider logos');
      await everyCoverLoads(page);
      await shoot(page, `title-poster-${rig.backend}`);

      // Search cards ask the proxy for the small poster (TMDb's w185 here), and get the generated cover
      // for titles without artwork: every card image loads.
      await page.goto(`${rig.gw.url}/search?q=${encodeURIComponent('stranger things')}`);
      const card = page.locator(`article:has(a[href="/title/${st}"]) img.cover`).first();
      await card.waitFor({ timeout: 15_000 });
      await card.scrollIntoViewIfNeeded();
      await page.waitForFunction((el) => (el as HTMLImageElement).complete, await card.elementHandle());
      assert.equal(await card.evaluate((el: HTMLImageElement) => el.naturalWidth), 34, 'the poster on the search card');
      await everyCoverLoads(page);
      await context.close();
    });

    test('a signed-in person with services sees every row, with covers that all load', async () => {
      const context = await rig.browser.newContext({ viewport: SIZES.desktop });
      const page = await signIn(context, rig.gw.url, PERSON);
      await page.getByTestId('home-rows').waitFor({ timeout: 15_000 });
      const rows = await page
        .locator('[data-testid="home-rows"] section[data-row]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-row')));
      assert.deepEqual(
        rows.filter((r) => !r?.startsWith('because-')),
        ['continue-watching', 'watchlist-available', 'popular', 'new-this-month', 'leaving-soon'],
      );
      assert.ok(
        rows.some((r) => r?.startsWith('because-')),
        `a "because you liked" row in ${rows.join()}`,
      );
      const cw = page.locator('section[data-row="continue-watching"]');
      assert.match(await cw.innerText(), /Stranger Things[\s\S]*25 min in/);
      assert.match(await page.locator('section[data-row="leaving-soon"]').innerText(), /leaves \d{4}-\d{2}-\d{2}/);
      assert.match(
        await page.locator('section[data-row="watchlist-available"]').innerText(),
        /The Quiet Orchard[\s\S]*Netflix/,
      );
      // Recommendation cards badge the person's services and say when those offers were seen.
      const recs = page.getByTestId('recommendations').locator('article');
      await recs.first().waitFor({ timeout: 15_000 });
      for (const card of await recs.all()) {
        assert.match(await card.locator('.card-age').innerText(), /^(seen |as of )/);
        assert.ok((await card.locator('.badge-mine').count()) >= 1, await card.innerText());
      }
      // What the person is in the middle of is under "Continue watching", not recommended again.
      assert.doesNotMatch(await page.getByTestId('recommendations').innerText(), /Stranger Things/);
      await recs.first().scrollIntoViewIfNeeded();
      await shoot(page, `home-recommendations-desktop-${rig.backend}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByRole('note', { name: 'Sample data' }).waitFor();
      // Sample and fixture offers together: the banner counts the sample's titles, not the whole catalog.
      const banner = await page.getByRole('note', { name: 'Sample data' }).innerText();
      const [, sampled, all] =
        /^Availability of (\d+) of the (\d+) titles comes from the bundled sample/.exec(banner) ?? [];
      assert.ok(Number(sampled) > 0 && Number(sampled) < Number(all), banner);
      await shoot(page, `home-rows-desktop-${rig.backend}`);
      const covers = await everyCoverLoads(page);
      assert.ok(covers >= 10, `${covers} covers`);

      // Keyboard: Tab reaches a card; ArrowRight moves along its row; Enter opens the title.
      const popular = page.locator('section[data-row="popular"] a.rail-link');
      await popular.first().focus();
      await page.keyboard.press('ArrowRight');
      assert.equal(
        await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-title-id')),
        person.titleId('Squid Game'),
      );
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/title/${person.titleId('Squid Game')}$`));

      // "What's leaving Netflix": the card says the day, and so does the offer row on the title page.
      await page.goto(`${rig.gw.url}/search?q=${encodeURIComponent("what's leaving netflix")}`);
      const leavingCard = page.locator('article', { hasText: FIXTURE.leaving });
      await leavingCard.waitFor({ timeout: 15_000 });
      const leavesLine = await leavingCard.locator('.card-leaving').innerText();
      assert.match(leavesLine, /^Leaves Netflix on \d{4}-\d{2}-\d{2}$/);
      await leavingCard
        .locator(`a[href="/title/${person.titleId(FIXTURE.leaving)}"]`)
        .first()
        .click();
      const badge = page.locator('.badge-leaving');
      await badge.waitFor({ timeout: 15_000 });
      assert.equal(await badge.innerText(), leavesLine.replace('Netflix on ', ''));

      await page.setViewportSize(SIZES.phone);
      await page.goto(`${rig.gw.url}/`);
      await page.getByTestId('home-rows').waitFor({ timeout: 15_000 });
      await shoot(page, `home-rows-phone-${rig.backend}`);
      await everyCoverLoads(page);
      await context.close();
    });

    test('signed out: the region’s rows and the catalog, with covers', async () => {
      const context = await rig.browser.newContext({ viewport: SIZES.desktop });
      const page = await context.newPage();
      await page.goto(`${rig.gw.url}/`);
      await page.getByTestId('home-rows').waitFor({ timeout: 15_000 });
      const rows = await page
        .locator('section[data-row]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-row')));
      assert.deepEqual(rows, ['popular', 'new-this-month', 'leaving-soon']);
      assert.match(await page.locator('#row-popular').innerText(), /Popular in US/);
      await everyCoverLoads(page);
      await shoot(page, `home-rows-signed-out-desktop-${rig.backend}`);
      await context.close();
    });

    test('TV mode: the same rows, moved through with the arrow keys; Enter opens a title', async () => {
      const { tv, close } = await openTv(rig, person);
      // Every row has arrived (the watchlist, the home rows, the catalog) before measuring positions.
      for (const row of ['Your watchlist', 'Leaving soon', 'Browse'])
        await tv.locator(`section.tv-row[aria-label="${row}"] .tv-tile`).first().waitFor({ timeout: 15_000 });
      const labels = await tv
        .locator('section.tv-row')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      for (const l of ['Your watchlist', 'Continue watching', 'Popular on your services', 'Leaving soon'])
        assert.ok(labels.includes(l), `${l} in ${labels.join(' | ')}`);
      const focused = () =>
        tv.evaluate(() => ({
          row: document.activeElement?.closest('section')?.getAttribute('aria-label'),
          id: document.activeElement?.getAttribute('data-title-id'),
        }));
      await tv.locator('.tv-tile').first().focus();
      assert.equal((await focused()).row, 'Your watchlist');
      // ArrowDown walks the rows in order, down to "Popular on your services".
      for (let i = 1; i <= labels.indexOf('Popular on your services'); i++) {
        await tv.keyboard.press('ArrowDown');
        assert.equal(
          (await focused()).row,
          labels[i],
          `ArrowDown #${i} lands on the next row of ${labels.join(' | ')}`,
        );
      }
      const popular = await focused();
      await tv.keyboard.press('ArrowRight');
      const right = await focused();
      assert.equal(right.row, popular.row, 'ArrowRight stays in the row');
      assert.notEqual(right.id, popular.id, 'and moves to the next title');
      assert.equal(
        await tv.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle),
        'solid',
        'the focus is visible',
      );
      await shoot(tv, `home-rows-tv-${rig.backend}`);
      await everyCoverLoads(tv);
      await tv.locator(`section.tv-row[aria-label="${right.row}"] .tv-tile[data-title-id="${right.id}"]`).focus();
      await tv.keyboard.press('Enter');
      const opened = tv.getByTestId('tv-title');
      await opened.waitFor({ timeout: 10_000 });
      const name = await rig.gw.ctx.db.query<{ title: string }>('SELECT title FROM titles WHERE id = $1', [right.id]);
      await opened.getByRole('heading', { name: name.rows[0]!.title }).waitFor({ timeout: 10_000 });
      await close();
    });
  },
);
