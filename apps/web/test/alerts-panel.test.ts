import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { getAlertPreferences } from '../../gateway/src/alerts/alert-preferences.ts';
import { inappSender } from '../../gateway/src/alerts/channels/inapp-sender.ts';
import { SIZES, shoot, signIn, browserSuite } from './web-harness.ts';

const PERSON = { email: 'alerts@example.com', password: 'alerts-password-123' };

/** Issue 19: alert choices in settings, and a new alert appearing live in the notification centre. */
browserSuite('alerts in the web app', { timeout: 120_000 }, (rig) => {
  let userId: string;

  before(async () => {
    userId = (await rig.gw.auth.users.createLocalUser({ ...PERSON, displayName: 'Alex Alerts' })).id;
  });

  test('choices are saved; an in-app alert shows up live without a reload', async () => {
    // Saved while the server had a mail server: email is no longer offered, and must not block saving.
    await rig.gw.ctx.db.query(
      `INSERT INTO alert_settings (user_id, channels) VALUES ($1, '{inapp,email}')
       ON CONFLICT (user_id) DO UPDATE SET channels = EXCLUDED.channels`,
      [userId],
    );
    const context = await rig.browser.newContext({ viewport: SIZES.desktop });
    const page = await signIn(context, rig.gw.url, PERSON, '/settings');
    const form = page.getByTestId('alerts-form');
    await form.waitFor({ timeout: 15_000 });
    // This server has no mail server (MG_ALERTS_SMTP_URL unset): email is not offered at all.
    assert.equal(await form.getByLabel('Email', { exact: true }).count(), 0);
    assert.equal(await form.getByLabel('Email address').count(), 0);
    await form.getByLabel('A rent or buy price drops').check();
    await form.getByLabel('Webhook URL').fill('https://hooks.example.com/mg');
    await form.getByLabel('Webhook', { exact: true }).check();
    await form.getByRole('button', { name: 'Save alerts' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = await rig.gw.app.inject({ url: '/api/me/alerts', headers: { authorization: await bearer() } });
    const choices = saved.json() as { kinds: string[]; channels: string[]; webhookSecret: string | null };
    assert.ok(choices.kinds.includes('price_drop'), JSON.stringify(choices));
    assert.ok(choices.channels.includes('webhook'));
    assert.ok(!choices.channels.includes('email'), 'the channel it could not deliver was dropped on save');
    assert.ok(choices.webhookSecret, 'a signing secret was generated and is shown');
    await form.getByText(choices.webhookSecret!).waitFor();

    const list = page.getByTestId('notifications');
    await list.getByText('No notifications yet.').waitFor();
    await page.waitForFunction(() => document.querySelector('.dot-online') !== null, undefined, { timeout: 15_000 });
    const { rows } = await rig.gw.ctx.db.query<{ id: string; title: string }>('SELECT id, title FROM titles LIMIT 1');
    const title = rows[0]!;
    const hub = await rig.gw.ctx.services.sync();
    // The in-app channel as the alert engine calls it (the engine's own tests cover what triggers it).
    const prefs = await getAlertPreferences(rig.gw.ctx.db, userId);
    const alert = {
      key: `available:${title.id}:netflix`,
      kind: 'available',
      titleId: title.id,
      subject: `${title.title} is on Netflix`,
      body: 'Now streaming in US.',
      data: {},
      createdAt: new Date(rig.gw.ctx.clock.now()).toISOString(),
    };
    const sender = inappSender({ db: rig.gw.ctx.db, notify: (u, n) => hub.notify(u, n) });
    await sender.send(userId, prefs, [alert], AbortSignal.timeout(5000));
    await list.getByRole('link', { name: `${title.title} is on Netflix` }).waitFor({ timeout: 10_000 });
    await shoot(page, 'alerts-settings-desktop');
    await list.getByRole('button', { name: 'Mark all read' }).click();
    await list.locator('li.read').waitFor();
    await context.close();

    async function bearer(): Promise<string> {
      const { token } = await rig.gw.ctx.tokens.issueAccessToken({
        userId,
        clientId: 'mg-web',
        scopes: ['watchlist:read'],
      });
      return `Bearer ${token}`;
    }
  });
});
