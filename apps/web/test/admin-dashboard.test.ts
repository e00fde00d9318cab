import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { catalogFiles } from '../../gateway/test/admin-helpers.ts';
import { ADMIN, SIZES, shoot, signIn, browserSuite, addViewer, VIEWER } from './web-harness.ts';

// The admin dashboard end to end in a real Chromium against a real gateway (issue 8: "an admin
// ingests an uploaded file"): upload → run completes → row problems → the new titles are searchable.

browserSuite('admin dashboard end to end', { setup: async (rig) => addViewer(rig.gw) }, (rig) => {
  let files: Awaited<ReturnType<typeof catalogFiles>>;
  const viewer = VIEWER;

  before(async () => {
    files = await catalogFiles();
  });
  after(async () => {
    if (files) await rm(files.dir, { recursive: true, force: true });
  });

  test('an admin uploads a catalog CSV, sees the run end with its row problems, finds the new titles', async () => {
    const context = await rig.browser.newContext({ viewport: SIZES.desktop });
    const page = await signIn(context, rig.gw.url, ADMIN, '/dashboard');
    await page.goto(`${rig.gw.url}/dashboard`);
    await page.getByRole('heading', { name: 'Key metrics' }).waitFor();
    const titlesTile = page.locator('.tile', { hasText: 'Titles' });
    const before = Number(await titlesTile.locator('.tile-value').innerText());
    assert.ok(before > 0, 'the sample catalog is loaded');

    // Keyboard only: tab to the file input is what a person does; Playwright sets the file on it.
    await page.getByLabel('Catalog file').setInputFiles(files.netflix);
    await page.getByLabel('Region').fill('US');
    await page.getByRole('button', { name: 'Upload and ingest' }).focus();
    await page.keyboard.press('Enter');

    const status = page.locator('#upload-status');
    await status.getByText('Ingested netflix_titles.csv as catalog-csv:netflix: 5 rows.').waitFor({ timeout: 60_000 });
    const problems = page.getByRole('region', { name: 'Row problems of this upload' });
    await problems.getByText('3 row problems').waitFor();
    const rows = problems.locator('tbody tr');
    assert.equal(await rows.count(), 3);
    assert.match(
      await rows.nth(0).innerText(),
      /netflix_titles\.csv\s+3\s+type\s+expected "Movie" or "TV Show", got "Podcast"/,
    );
    assert.match(await rows.nth(1).innerText(), /\s4\s+title\s+empty/);
    assert.match(await rows.nth(2).innerText(), /\s5\s+release_year\s+not a year: "20x1"/);
    await shoot(page, `admin-upload-desktop-${rig.backend}`);

    // The runs table lists the completed upload; its problems open from there too.
    const run = page.locator('tr[data-run-id]', { hasText: 'catalog-csv:netflix' }).first();
    await run.getByText('completed').waitFor({ timeout: 15_000 });
    await run.getByRole('button', { name: 'Show 3 row problems' }).click();
    await page.locator('[id^="problems-"]').getByText('got "Podcast"').waitFor();
    // Bad Year and Dark are new titles; Inception may join the sample's Inception by evidence.
    await page.waitForFunction(
      (n) => Number(document.querySelector('.tile .tile-value')?.textContent) >= n + 2,
      before,
      { timeout: 15_000 },
    );

    await page.setViewportSize(SIZES.phone);
    await shoot(page, `admin-dashboard-phone-${rig.backend}`);
    await page.setViewportSize(SIZES.tv);
    await shoot(page, `admin-dashboard-tv-${rig.backend}`);
    await page.setViewportSize(SIZES.desktop);

    // "Dark" was not in the sample: after the upload it is searchable and its page shows the new offer.
    await page.goto(`${rig.gw.url}/search?q=Dark`);
    const hit = page.getByTestId('search-results').getByRole('link', { name: 'Dark', exact: true });
    await hit.waitFor({ timeout: 20_000 });
    await hit.click();
    await page.waitForURL(/\/title\/mg_/);
    await page.getByRole('heading', { name: 'Dark', level: 1 }).waitFor();
    await page
      .getByText(/Search on Netflix/)
      .first()
      .waitFor();
    await context.close();
  });

  test('the review queue lists a cross-platform merge and an admin splits it with the keyboard', async () => {
    const context = await rig.browser.newContext({ viewport: SIZES.desktop });
    const page = await signIn(context, rig.gw.url, ADMIN, '/dashboard');
    await page.goto(`${rig.gw.url}/dashboard`);
    await page.getByLabel('Catalog file').setInputFiles(files.hulu);
    await page.getByRole('button', { name: 'Upload and ingest' }).click();
    await page
      .locator('#upload-status')
      .getByText(/Ingested hulu_titles\.csv as catalog-csv:hulu: 1 row\./)
      .waitFor({ timeout: 60_000 });
    await page.getByLabel('Show merges with confidence up to').selectOption('1');
    const split = page.getByRole('button', { name: 'Split Inception from catalog-csv:hulu' });
    await split.waitFor({ timeout: 15_000 });
    await shoot(page, `admin-review-desktop-${rig.backend}`);
    await split.focus();
    await page.keyboard.press('Enter');
    await page.getByText(/Split Inception \(catalog-csv:hulu\) onto its own title mg_/).waitFor();
    const row = page.locator('tr', {
      has: page.getByRole('button', { name: 'Split Inception from catalog-csv:hulu' }),
    });
    await row.getByText('operator split').waitFor();
    await context.close();
  });

  test('users and metrics are listed; a non-admin is refused the dashboard and its API', async () => {
    const context = await rig.browser.newContext({ viewport: SIZES.desktop });
    const page = await signIn(context, rig.gw.url, ADMIN, '/dashboard');
    await page.goto(`${rig.gw.url}/dashboard#users-h`);
    const users = page.getByRole('region', { name: 'Users' });
    await users.getByRole('rowheader', { name: /Vera Viewer/ }).waitFor();
    const adminRow = users.locator('tr', { hasText: ADMIN.email });
    assert.match(await adminRow.innerText(), /Administrator/);
    assert.doesNotMatch(await adminRow.innerText(), /never/, 'the admin has signed in');
    assert.match(await users.locator('tr', { hasText: 'Vera Viewer' }).innerText(), /Member.*never/s);
    await page.locator('.tile', { hasText: 'p95 latency' }).locator('.tile-value').getByText(/ ms$/).waitFor();
    await shoot(page, `admin-users-desktop-${rig.backend}`);

    const viewerContext = await rig.browser.newContext({ viewport: SIZES.desktop });
    const other = await signIn(viewerContext, rig.gw.url, viewer);
    await other.goto(`${rig.gw.url}/dashboard`);
    await other.getByRole('heading', { name: 'Administrators only' }).waitFor();
    const token = JSON.parse((await other.evaluate(() => localStorage.getItem('mg.web.tokens'))) ?? '{}') as {
      accessToken?: string;
    };
    const res = await fetch(`${rig.gw.url}/api/admin/ingestion/upload?filename=netflix_titles.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'text/csv' },
      body: 'show_id,type,title\n',
    });
    assert.equal(res.status, 403, 'a signed-in person without the admin scope cannot upload');
    await shoot(other, `admin-refused-desktop-${rig.backend}`);
    await context.close();
    await viewerContext.close();
  });
});
