import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_CATALOG_NOTE } from '@media-gateway/domain/search-notes';
import { browserSuite } from './web-harness.ts';

/**
 * A gateway with nothing ingested (sample catalog off): a search says the catalog is empty, and the page does
 * not also tell the person to remove parts of their search, which could not help.
 */
browserSuite(
  'search page on an empty catalog',
  { timeout: 120_000, gateway: () => ({ emptyCatalog: true, env: { MG_SAMPLE_CATALOG: 'off' } }) },
  (rig) => {
    test('the page says the catalog is empty, without "try removing"', async () => {
      const page = await rig.browser.newPage();
      try {
        await page.goto(`${rig.gw.url}/search?q=${encodeURIComponent('feel-good comedies on netflix')}`);
        await page.getByText(EMPTY_CATALOG_NOTE).waitFor({ timeout: 20_000 });
        assert.equal(await page.getByText('Nothing matched every part of that search.').count(), 0);
        assert.equal(await page.getByText(/Try removing/).count(), 0);
      } finally {
        await page.close();
      }
    });
  },
);
