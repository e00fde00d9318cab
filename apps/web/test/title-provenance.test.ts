import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TitlePage, TitleView } from '@media-gateway/domain/contracts';
import { browserSuite, SIZES } from './web-harness.ts';

// A provenance record's date is when this server loaded the record (our ingest), not when the source saw the title:
// labelled "last seen", a sample title read as seen today while its offers say "as of 2025-06-01".
browserSuite('title page: where the information comes from', { timeout: 120_000 }, (rig) => {
  test('each source record is dated as loaded by this server, never as "last seen"', async () => {
    const list = (await (await fetch(`${rig.gw.url}/api/titles?limit=1`)).json()) as TitlePage;
    const id = list.items[0]!.id;
    const title = (await (await fetch(`${rig.gw.url}/api/titles/${id}`)).json()) as TitleView;
    assert.ok(title.sampleData, 'a sample title, whose offers are as of the sample’s date');
    const context = await rig.browser.newContext({ viewport: SIZES.desktop });
    try {
      const page = await context.newPage();
      await page.goto(`${rig.gw.url}/title/${id}`);
      const details = page.locator('details.provenance');
      await details.locator('summary').click({ timeout: 15_000 });
      const lines = await details.locator('li').allInnerTexts();
      assert.deepEqual(
        lines,
        title.provenance.map(
          (p) => `${p.source}: ${p.reason} (last loaded by this server on ${p.lastSeen.slice(0, 10)})`,
        ),
      );
      assert.doesNotMatch(await details.innerText(), /last seen/i);
      // The offers keep the source's own date.
      assert.match(await page.locator('ul.offers').first().innerText(), /as of \d{4}-\d{2}-\d{2}/);
    } finally {
      await context.close();
    }
  });
});
