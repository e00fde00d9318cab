import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { SIZES, shoot, signIn, browserSuite } from './web-harness.ts';

const PERSON = { email: 'imports@example.com', password: 'imports-password-123' };

/**
 * Issue 19: the settings upload of another tracker's export, as a person uses it — choose the file,
 * see the summary, download the report, import again and see that nothing changed; a file in no
 * known format gets a clear message and changes nothing.
 */
browserSuite('import panel in the web app', { timeout: 120_000 }, (rig) => {
  let letterboxd: string;
  let films: Array<{ title: string; year: number }>;

  before(async () => {
    await rig.gw.auth.users.createLocalUser({ ...PERSON, displayName: 'Ivy Imports' });
    // Three films of the catalog this gateway serves, each the only one of its name and year, and
    // one that is in no catalog: a Letterboxd ratings.csv as Letterboxd writes it.
    const { rows } = await rig.gw.ctx.db.query<{ title: string; year: number }>(
      `SELECT title, year FROM titles WHERE kind = 'movie' AND year IS NOT NULL AND title NOT LIKE '%,%'
           GROUP BY title, year HAVING count(*) = 1 ORDER BY title LIMIT 3`,
    );
    films = rows;
    assert.equal(films.length, 3, 'the sample catalog has three distinct films');
    letterboxd = [
      'Date,Name,Year,Letterboxd URI,Rating',
      ...films.map((f, i) => `2024-0${i + 1}-15,${f.title},${f.year},https://boxd.it/t${i},${4 + (i % 2) * 0.5}`),
      '2024-05-01,A Film No Catalog Has Zzqx,1911,https://boxd.it/none,3',
    ].join('\n');
  });

  test('an upload shows what matched, the report downloads, a re-import adds nothing', async () => {
    const context = await rig.browser.newContext({ viewport: SIZES.desktop, acceptDownloads: true });
    const page = await signIn(context, rig.gw.url, PERSON, '/settings');
    const input = page.getByLabel('Export file to import');
    await input.setInputFiles({ name: 'ratings.csv', mimeType: 'text/csv', buffer: Buffer.from(letterboxd) });
    const summary = page.getByRole('status').filter({ hasText: 'rows matched' });
    await summary.waitFor({ timeout: 30_000 });
    const text = (await summary.textContent()) ?? '';
    assert.match(text, /ratings\.csv \(letterboxd[^)]*\): 3 of 4 rows matched/, text);
    assert.match(text, /3 of 4 rows matched \(3 by title and year\); 1 not matched \(1 not in this catalog\)/, text);
    assert.match(text, /3 new, 0 already imported/, text);
    await summary.scrollIntoViewIfNeeded();
    await shoot(page, 'import-settings-desktop');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      summary.getByRole('button', { name: 'Download the report (CSV)' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    for (const f of films) assert.ok(csv.includes(f.title), `the report lists ${f.title}`);
    assert.ok(csv.includes('A Film No Catalog Has Zzqx'), 'the report lists the row that did not match');

    await input.setInputFiles({ name: 'ratings.csv', mimeType: 'text/csv', buffer: Buffer.from(letterboxd) });
    await page.getByRole('status').filter({ hasText: '0 new, 3 already imported' }).waitFor({ timeout: 30_000 });
    await context.close();
  });

  test('a file in no known format is refused with a message that names the formats', async () => {
    const context = await rig.browser.newContext({ viewport: SIZES.phone });
    const page = await signIn(context, rig.gw.url, PERSON, '/settings');
    await page.getByLabel('Export file to import').setInputFiles({
      name: 'notes.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('shopping,list\neggs,12\n'),
    });
    const alert = page.getByRole('alert').filter({ hasText: 'Not imported' });
    await alert.waitFor({ timeout: 30_000 });
    assert.match((await alert.textContent()) ?? '', /Letterboxd/);
    await alert.scrollIntoViewIfNeeded();
    await shoot(page, 'import-refused-phone');
    await context.close();
  });
});
