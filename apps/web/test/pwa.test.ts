import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { PERSON, type SeededPerson, seedPerson } from './home-seed.ts';
import { SIZES, shoot, signIn, browserSuite } from './web-harness.ts';

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  scope: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: Array<{ src: string; sizes: string; type: string; purpose: string }>;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  assert.equal(bytes.subarray(1, 4).toString('ascii'), 'PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

browserSuite('installable app: manifest, service worker, offline watchlist', {}, (rig) => {
  let person: SeededPerson;

  before(async () => {
    person = await seedPerson(rig.gw);
  });

  test('the manifest is linked and valid; its icons are real PNGs of their declared sizes', async () => {
    const context = await rig.browser.newContext({ viewport: SIZES.desktop });
    const page = await context.newPage();
    await page.goto(`${rig.gw.url}/`);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    assert.equal(href, '/manifest.webmanifest');
    const res = await fetch(`${rig.gw.url}${href}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/manifest\+json/);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const m = (await res.json()) as Manifest;
    assert.equal(m.name, 'Media Gateway');
    assert.ok(m.short_name && m.short_name.length <= 12);
    assert.equal(m.start_url, '/');
    assert.equal(m.scope, '/');
    assert.equal(m.display, 'standalone');
    assert.match(m.theme_color, /^#[0-9a-f]{6}$/);
    assert.match(m.background_color, /^#[0-9a-f]{6}$/);
    const sizes = new Set(m.icons.map((i) => `${i.sizes} ${i.purpose}`));
    for (const want of ['192x192 any', '512x512 any', '512x512 maskable']) assert.ok(sizes.has(want), want);
    for (const icon of m.icons) {
      const r = await fetch(`${rig.gw.url}${icon.src}`);
      assert.equal(r.status, 200, icon.src);
      assert.equal(r.headers.get('content-type'), 'image/png');
      const [w, h] = pngSize(Buffer.from(await r.arrayBuffer()));
      assert.equal(`${w}x${h}`, icon.sizes, icon.src);
      // And the browser decodes it at that size.
      const natural = await page.evaluate(async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        return `${img.naturalWidth}x${img.naturalHeight}`;
      }, icon.src);
      assert.equal(natural, icon.sizes);
    }
    await context.close();
  });

  test('the service worker is served from / with no-cache, registers and controls the page', async () => {
    const sw = await fetch(`${rig.gw.url}/sw.js`);
    assert.equal(sw.status, 200);
    assert.equal(sw.headers.get('cache-control'), 'no-cache');
    assert.match(sw.headers.get('content-type') ?? '', /javascript/);
    const body = await sw.text();
    assert.doesNotMatch(body, /__MG_/, 'the build filled in the version and the precache list');
    const index = await (await fetch(`${rig.gw.url}/`)).text();
    const entry = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    assert.ok(entry && body.includes(`"${entry}"`), 'the entry script is precached');

    const context = await rig.browser.newContext({ viewport: SIZES.desktop });
    const page = await context.newPage();
    await page.goto(`${rig.gw.url}/`);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, `${rig.gw.url}/`);
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL), `${rig.gw.url}/sw.js`);
    await context.close();
  });

  test('offline, a reload of the watchlist page shows the person’s watchlist; sign-out clears it', async () => {
    const context = await rig.browser.newContext({ viewport: SIZES.phone });
    const page = await signIn(context, rig.gw.url, PERSON, '/watchlist');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // Online once under the worker's control, so the person's answers and the titles are kept.
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const item = page.locator(`[data-testid="watchlist"] li[data-title-id="${person.titleId('The Quiet Orchard')}"]`);
    await item.getByRole('link', { name: 'The Quiet Orchard' }).waitFor({ timeout: 15_000 });

    await context.setOffline(true);
    // Really offline, for the page and for the worker's own fetches (a URL it never cached fails).
    const probe = (url: string) =>
      page.evaluate(
        (u) =>
          fetch(u).then(
            () => 'answered',
            () => 'failed',
          ),
        url,
      );
    assert.equal(await probe('/api/platforms'), 'failed');
    assert.equal(await probe(`/api/titles/${person.titleId('The Quiet Orchard')}?probe=1`), 'failed');
    await page.reload();
    await page.getByRole('heading', { name: 'Your watchlist' }).waitFor({ timeout: 15_000 });
    await item.getByRole('link', { name: 'The Quiet Orchard' }).waitFor({ timeout: 15_000 });
    assert.match(await item.innerText(), /Movie · 2024/);
    await shoot(page, `watchlist-offline-phone-${rig.backend}`);
    const before = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('mg-person-')));
    assert.deepEqual(before, [`mg-person-${person.userId}`], 'kept under this person only');

    await context.setOffline(false);
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).first().waitFor();
    await page.waitForFunction(
      async () => !(await caches.keys()).some((k) => k.startsWith('mg-person-') || k === 'mg-catalog'),
      undefined,
      { timeout: 5_000 },
    );
    await context.close();
  });

  test('a push {title, body, url} shows a notification that links into the app', async () => {
    const context = await rig.browser.newContext({ viewport: SIZES.desktop });
    await context.grantPermissions(['notifications'], { origin: rig.gw.url });
    const page = await context.newPage();
    await page.goto(`${rig.gw.url}/`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const cdp = await context.newCDPSession(page);
    const registration = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
        const r = e.registrations.find((x) => x.scopeURL === `${rig.gw.url}/` && !x.isDeleted);
        if (r) resolve(r.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    const payload = {
      title: 'Now on Netflix',
      body: 'The Quiet Orchard is available.',
      url: '/title/mg_abcdefghijkl',
    };
    const notification = () =>
      page.evaluate(async () => {
        const list = await (await navigator.serviceWorker.ready).getNotifications();
        return list.length > 0 ? { title: list[0]!.title, body: list[0]!.body, url: list[0]!.data?.url } : null;
      });
    const registrationId = await registration;
    let shown: { title: string; body: string; url: string } | null = null;
    let deliveries = 0;
    // DevTools' push delivery is an emulation: in about 1 run in 5 on a loaded machine one delivery showed nothing
    // for 10 s. Delivered again after 3 s of nothing, at most 3 times; the handler must show every one it gets.
    while (!shown && deliveries < 3) {
      deliveries++;
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: `${rig.gw.url}/`,
        registrationId,
        data: JSON.stringify(payload),
      });
      for (const until = Date.now() + 3_000; !shown && Date.now() < until; await new Promise((r) => setTimeout(r, 100)))
        shown = await notification();
    }
    if (deliveries > 1) process.stderr.write(`pwa test: the push notification showed after ${deliveries} deliveries\n`);
    assert.deepEqual(shown, {
      title: payload.title,
      body: payload.body,
      url: `${rig.gw.url}${payload.url}`,
    });
    await context.close();
  });
});
