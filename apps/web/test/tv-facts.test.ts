import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ingest, SAMPLE_DATA } from '@media-gateway/catalog';
import type { SourceRecordInput } from '@media-gateway/domain';
import type { HomeView, TitleView } from '@media-gateway/domain/contracts';
import { type SeededPerson, seedPerson } from './home-seed.ts';
import { openTv } from './tv-session.ts';
import { browserSuite, type BrowserRig, shoot } from './web-harness.ts';

// TV mode shows the facts the web shows for the same answers: each start-page tile's service and how old it is, the
// sample-data notice, and an offer known only by name (no link) said as such.

/** A title offered only on a service the registry does not know, which the source named but gave no link for. */
const CHANNEL_ONLY = { title: 'The Lamplighter of Vell Harbour', service: 'Max Amazon Channel' };

/** Ingests CHANNEL_ONLY; its title id. */
async function addChannelOnlyTitle(rig: BrowserRig): Promise<string> {
  const record: SourceRecordInput = {
    source: 'fixture-channel',
    sourceKey: 'lamplighter',
    kind: 'movie',
    title: CHANNEL_ONLY.title,
    year: 2023,
    offers: [
      {
        platform: 'tmdb-provider-1825',
        platformName: CHANNEL_ONLY.service,
        region: 'US',
        monetization: 'subscription',
      },
    ],
  };
  const summary = await ingest({
    db: rig.gw.ctx.db,
    source: {
      name: 'fixture-channel',
      async *read() {
        yield { file: 'fixture', row: 1, record, problems: [] };
      },
    },
    seenAt: new Date(rig.gw.ctx.clock.now()),
  });
  assert.equal(summary.counts.problems, 0);
  const { rows } = await rig.gw.ctx.db.query<{ id: string }>('SELECT id FROM titles WHERE title = $1', [
    CHANNEL_ONLY.title,
  ]);
  return rows[0]!.id;
}

async function getJson<T>(rig: BrowserRig, path: string, token: string): Promise<T> {
  const res = await fetch(`${rig.gw.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
}

browserSuite('TV mode shows the facts the web shows', {}, (rig) => {
  let person: SeededPerson;
  let channelOnlyId: string;
  before(async () => {
    person = await seedPerson(rig.gw);
    channelOnlyId = await addChannelOnlyTitle(rig);
    // On the watchlist, so the TV's first row opens it.
    const res = await fetch(`${rig.gw.url}/api/watchlist`, {
      method: 'POST',
      headers: { authorization: `Bearer ${person.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ titleId: channelOnlyId }),
    });
    assert.ok(res.ok, `watchlist: ${res.status}`);
  });

  test('every start-page tile says its service and how old that is, as the web card does; sample data is said', async () => {
    const { tv, token, close } = await openTv(rig, person);
    try {
      const home = await getJson<HomeView>(rig, '/api/home', token);
      assert.ok(home.rows.length >= 4, home.rows.map((r) => r.id).join());
      for (const row of home.rows) {
        const section = tv.locator(`section.tv-row[aria-label="${row.title}"]`);
        await section.locator('.tv-tile').first().waitFor({ timeout: 15_000 });
        for (const item of row.items) {
          const line = await section.locator(`.tv-tile[data-title-id="${item.id}"] .tv-tile-offer`).innerText();
          const o = item.offer;
          if (!o) {
            assert.equal(line, 'No known offer in this region', `${row.id} ${item.title}`);
            continue;
          }
          // The date that put the title in its row, as the web's card says it.
          const when =
            row.id === 'leaving-soon' && o.availableUntil
              ? `leaves ${o.availableUntil.slice(0, 10)}`
              : row.id === 'new-this-month' && o.availableFrom
                ? `added ${o.availableFrom.slice(0, 10)}`
                : '';
          const age = `${o.age}${o.isStale ? ', may be out of date' : ''}`;
          assert.deepEqual(line.split('\n'), [o.platformName, when, age].filter(Boolean), `${row.id} ${item.title}`);
        }
      }
      const note = tv.getByTestId('tv-rows').getByRole('note', { name: 'Sample data' });
      assert.equal(await note.innerText(), SAMPLE_DATA.note);
      await tv.locator('section.tv-row[aria-label="Leaving soon"]').scrollIntoViewIfNeeded();
      await shoot(tv, `tv-facts-home-tv-${rig.backend}`);
    } finally {
      await close();
    }
  });

  test('search and title views say when availability is sample data, as their answers do', async () => {
    const { tv, close } = await openTv(rig, person);
    try {
      await tv.getByTestId('tv-rows').waitFor({ timeout: 15_000 });
      await tv.getByRole('searchbox', { name: 'Search' }).fill('stranger things');
      await tv.keyboard.press('Enter');
      const search = tv.getByTestId('tv-search');
      const st = search.locator(`.tv-tile[data-title-id="${person.titleId('Stranger Things')}"]`).first();
      await st.waitFor({ timeout: 15_000 });
      assert.equal(await search.getByRole('note', { name: 'Sample data' }).innerText(), SAMPLE_DATA.note);
      await st.click();
      const title = tv.getByTestId('tv-title');
      await title.getByRole('heading', { name: 'Stranger Things' }).waitFor({ timeout: 15_000 });
      assert.equal(await title.getByRole('note', { name: 'Sample data' }).innerText(), SAMPLE_DATA.note);
      await shoot(tv, `tv-facts-title-sample-tv-${rig.backend}`);
    } finally {
      await close();
    }
  });

  test('an offer known only by name is listed as the web lists it, not "no source has reported"', async () => {
    const { tv, token, close } = await openTv(rig, person);
    try {
      const view = await getJson<TitleView>(rig, `/api/titles/${channelOnlyId}`, token);
      const offer = Object.values(view.offers['US'] ?? {}).flat()[0];
      assert.equal(offer?.urlKind, 'none', 'the fixture has no link');
      const tile = tv.locator(`section.tv-row[aria-label="Your watchlist"] .tv-tile[data-title-id="${channelOnlyId}"]`);
      await tile.waitFor({ timeout: 15_000 });
      await tile.click();
      const title = tv.getByTestId('tv-title');
      await title.getByRole('heading', { name: CHANNEL_ONLY.title }).waitFor({ timeout: 15_000 });
      const said = title.locator('.tv-offers li');
      assert.deepEqual(await said.allInnerTexts(), [`On ${CHANNEL_ONLY.service} (no link known) (US, ${offer.age})`]);
      assert.equal(await said.locator('a, [data-tv-focus]').count(), 0, 'nothing to open, so nothing to focus');
      assert.equal(await title.getByText('No source has reported where to watch this yet.').count(), 0);
      assert.equal(await title.getByRole('note', { name: 'Sample data' }).count(), 0, 'not from the sample');
      await shoot(tv, `tv-facts-title-no-link-tv-${rig.backend}`);
    } finally {
      await close();
    }
  });
});
