import { createECDH } from 'node:crypto';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ingest, jsonlCanonicalSource } from '@media-gateway/catalog';
import { manualClock } from '@media-gateway/domain';
import { testBackends } from '@media-gateway/testkit';
import { createAlertEngine } from '../src/alerts/alert-worker.ts';
import { startWebhookReceiver, strangerThings, T0, writeJsonl } from './alerts-helpers.ts';
import { listen } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/** A real browser subscription key: a point on P-256. */
const BROWSER_KEY = createECDH('prime256v1').generateKeys().toString('base64url');

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '..', '..', 'cli', 'bin', 'media-gateway.js');

const HOUR = 3_600_000;

for (const backend of testBackends()) {
  describe(`alert settings, quiet hours, digest, retries and the iCal feed (${backend})`, () => {
    let t: TestApp;
    let dir: string;
    const clock = manualClock(T0); // 2030-03-04 10:00 UTC
    let n = 0;
    const as = async (userId: string) => ({
      authorization: `Bearer ${await t.token(userId, ['watchlist:read', 'watchlist:write'])}`,
    });
    /** Ingests one version of a title's record (each call a new file, same source). */
    const ingestRecord = async (record: Record<string, unknown>) =>
      ingest({
        db: t.ctx.db,
        source: jsonlCanonicalSource(await writeJsonl(join(dir, `r${n++}.jsonl`), [record]), { source: 'api-feed' }),
      });
    const titleIdOf = async (name: string) =>
      (await t.ctx.db.query<{ id: string }>('SELECT id FROM titles WHERE title = $1', [name])).rows[0]!.id;
    /** A person with a watchlist title, US Netflix, and webhook alerts to `url`. */
    const person = async (userId: string, titleId: string, alerts: Record<string, unknown>) => {
      const h = await as(userId);
      await t.app.inject({
        method: 'PUT',
        url: '/api/me/settings',
        headers: h,
        payload: { region: 'US', services: ['netflix'] },
      });
      const res = await t.app.inject({ method: 'PUT', url: '/api/me/alerts', headers: h, payload: alerts });
      assert.equal(res.statusCode, 200, res.body);
      await t.app.inject({ method: 'POST', url: '/api/watchlist', headers: h, payload: { titleId } });
      return res.json() as { webhookSecret: string };
    };

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mg-alerts-api-'));
      t = await createTestApp({ backend, clock, env: { MG_ALERTS_WEBHOOK_PRIVATE: 'on' } });
    });
    after(async () => {
      await t.close();
      await rm(dir, { recursive: true, force: true });
    });

    test('settings: defaults, a round trip, and invalid choices as 400 problems', async () => {
      const h = await as('settings-user');
      const initial = await t.app.inject({ method: 'GET', url: '/api/me/alerts', headers: h });
      assert.equal(initial.statusCode, 200);
      assert.deepEqual(initial.json().channels, []);
      assert.deepEqual(initial.json().availableChannels, ['inapp', 'webhook', 'push']);
      const bad: Array<[unknown, RegExp]> = [
        [{ timeZone: 'Mars/Olympus' }, /time zone/],
        [{ kinds: ['sale'] }, /kinds/],
        [{ quietHours: { start: '22:00', end: '22:00' } }, /differ/],
        [{ quietHours: { start: '25:00', end: '07:00' } }, /HH:MM/],
        [{ digestHour: 24 }, /digestHour/],
        [{ channels: ['webhook'] }, /webhookUrl/],
        [{ channels: ['email'], email: 'a@example.org' }, /sends no email/],
        [{ webhookUrl: 'ftp://example.org/x' }, /http/],
        [{ email: 'not-an-address' }, /email/],
        [{ surprise: true }, /unknown parameter/],
      ];
      for (const [payload, message] of bad) {
        const res = await t.app.inject({
          method: 'PUT',
          url: '/api/me/alerts',
          headers: h,
          payload: payload as object,
        });
        assert.equal(res.statusCode, 400, JSON.stringify(payload));
        assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
        assert.match(res.json().detail ?? res.json().title, message, JSON.stringify(payload));
      }
      const ok = await t.app.inject({
        method: 'PUT',
        url: '/api/me/alerts',
        headers: h,
        payload: {
          kinds: ['available', 'price_drop'],
          channels: ['inapp', 'webhook'],
          webhookUrl: 'https://hooks.example.org/mg',
          quietHours: { start: '22:00', end: '07:00' },
          timeZone: 'Europe/Paris',
          digest: 'daily',
          digestHour: 9,
        },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const secret = ok.json().webhookSecret as string;
      assert.match(secret, /^whsec_[A-Za-z0-9_-]{32}$/);
      const again = await t.app.inject({ method: 'GET', url: '/api/me/alerts', headers: h });
      assert.equal(again.json().webhookSecret, secret);
      assert.equal(again.json().timeZone, 'Europe/Paris');
      const rotated = await t.app.inject({
        method: 'PUT',
        url: '/api/me/alerts',
        headers: h,
        payload: { rotateWebhookSecret: true },
      });
      assert.notEqual(rotated.json().webhookSecret, secret);
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/me/alerts' });
      assert.equal(anonymous.statusCode, 401);
    });

    test('quiet hours hold a webhook until they end; a daily digest sends one message for two alerts', async () => {
      const secrets = new Map<string, string>();
      const hook = await startWebhookReceiver(
        (path) => secrets.get(new URL(path, 'http://x').searchParams.get('who') ?? '') ?? '',
      );
      try {
        await ingestRecord(strangerThings([]));
        await ingestRecord({
          ...strangerThings([]),
          id: 'crazy',
          title: 'Crazy, Stupid, Love.',
          year: 2011,
          kind: 'movie',
          externalIds: { imdb: 'tt1570728' },
        });
        const st = await titleIdOf('Stranger Things');
        const csl = await titleIdOf('Crazy, Stupid, Love.');
        // 10:00 UTC is 05:00 in New York: inside 22:00–07:00 quiet hours.
        const quiet = await person('quiet', st, {
          kinds: ['available'],
          channels: ['webhook'],
          webhookUrl: `${hook.url}?who=quiet`,
          quietHours: { start: '22:00', end: '07:00' },
          timeZone: 'America/New_York',
        });
        const digest = await person('digest', csl, {
          kinds: ['available'],
          channels: ['webhook', 'inapp'],
          webhookUrl: `${hook.url}?who=digest`,
          digest: 'daily',
          digestHour: 12,
          timeZone: 'UTC',
        });
        secrets.set('quiet', quiet.webhookSecret);
        secrets.set('digest', digest.webhookSecret);
        const h = await as('digest');
        await t.app.inject({ method: 'POST', url: '/api/watchlist', headers: h, payload: { titleId: st } });
        const engine = createAlertEngine(t.ctx);
        await engine.tick();
        await ingestRecord(strangerThings([{ platform: 'netflix', region: 'US', monetization: 'subscription' }]));
        await ingestRecord({
          ...strangerThings([{ platform: 'netflix', region: 'US', monetization: 'subscription' }]),
          id: 'crazy',
          title: 'Crazy, Stupid, Love.',
          year: 2011,
          kind: 'movie',
          externalIds: { imdb: 'tt1570728' },
        });
        const first = await engine.tick();
        assert.equal(first.queued, 1 + 2 * 2, 'quiet: webhook; digest: webhook + in-app for two titles');
        assert.equal(first.sent, 2, 'only the digest person’s in-app notifications went at once');
        assert.equal(hook.attempts.length, 0);

        // 12:00 UTC = 07:00 New York (quiet hours end) and the digest hour.
        clock.set(T0 + 2 * HOUR - 1);
        assert.equal((await engine.tick()).sent, 0);
        clock.set(T0 + 2 * HOUR);
        const report = await engine.tick();
        assert.equal(report.sent, 3);
        assert.equal(hook.calls.length, 2);
        assert.ok(hook.calls.every((c) => c.signatureValid));
        const byCount = [...hook.calls].sort((a, b) => a.payload.alerts.length - b.payload.alerts.length);
        assert.equal(byCount[0]!.payload.alerts.length, 1);
        assert.match(byCount[0]!.payload.alerts[0]!.subject, /Stranger Things/);
        assert.equal(byCount[1]!.payload.alerts.length, 2, 'the digest: one message, two alerts');
        assert.deepEqual(byCount[1]!.payload.alerts.map((a) => a.titleId).sort(), [st, csl].sort());
      } finally {
        await hook.close();
        clock.set(T0);
      }
    });

    test('a failing webhook is retried with backoff on 5xx, then given up after the last try, recorded', async () => {
      const secrets = new Map<string, string>();
      const hook = await startWebhookReceiver(() => secrets.get('retry') ?? '', [500, 503, 500]);
      try {
        const arrival = {
          ...strangerThings([]),
          id: 'arrival',
          title: 'Arrival',
          year: 2016,
          kind: 'movie',
          externalIds: { imdb: 'tt2543164' },
        };
        await ingestRecord(arrival);
        const id = await titleIdOf('Arrival');
        const r = await person('retry', id, { kinds: ['available'], channels: ['webhook'], webhookUrl: hook.url });
        secrets.set('retry', r.webhookSecret);
        const engine = createAlertEngine(t.ctx, { name: 'retry-engine', maxAttempts: 3, retryBaseMs: 60_000 });
        await engine.tick();
        await ingestRecord({
          ...arrival,
          offers: [{ platform: 'netflix', region: 'US', monetization: 'subscription' }],
        });
        const row = async () =>
          (
            await t.ctx.db.query<{ status: string; attempts: number; last_error: string | null; due_at: Date }>(
              `SELECT status, attempts, last_error, due_at FROM alert_deliveries WHERE user_id = 'retry'`,
            )
          ).rows[0]!;
        assert.equal((await engine.tick()).retried, 1);
        assert.deepEqual(hook.attempts, [500]);
        assert.equal((await row()).due_at.getTime(), clock.now() + 60_000);
        await engine.tick();
        assert.deepEqual(hook.attempts, [500], 'not before the backoff is over');
        clock.advance(60_000);
        await engine.tick();
        assert.deepEqual(hook.attempts, [500, 503]);
        clock.advance(240_000);
        const last = await engine.tick();
        assert.equal(last.failed, 1);
        assert.deepEqual(hook.attempts, [500, 503, 500]);
        assert.deepEqual(
          { ...(await row()), due_at: undefined },
          { status: 'failed', attempts: 3, last_error: 'HTTP 500', due_at: undefined },
        );
        clock.advance(24 * HOUR);
        await engine.tick();
        assert.equal(hook.attempts.length, 3, 'a given-up delivery is not tried again');
        assert.equal(hook.calls.length, 0);
        const metrics = await t.ctx.services.metrics.registry.metrics();
        assert.match(metrics, /mg_alert_deliveries_total\{channel="webhook",outcome="failed"\} 1/);
      } finally {
        await hook.close();
        clock.set(T0);
      }
    });

    test('leaving-soon iCal feed: valid RFC 5545, private to its token, revocable; and a "leaving" alert', async () => {
      const csl = await titleIdOf('Crazy, Stupid, Love.');
      const until = new Date(T0 + 5 * 24 * HOUR).toISOString();
      await ingestRecord({
        ...strangerThings([{ platform: 'netflix', region: 'US', monetization: 'subscription', availableUntil: until }]),
        id: 'crazy',
        title: 'Crazy, Stupid, Love.',
        year: 2011,
        kind: 'movie',
        externalIds: { imdb: 'tt1570728' },
      });
      await person('cal', csl, { kinds: ['leaving'], channels: ['inapp'] });
      const h = await as('cal');
      const created = await t.app.inject({ method: 'POST', url: '/api/me/alerts/feed-token', headers: h });
      assert.equal(created.statusCode, 201);
      const { token, url } = created.json() as { token: string; url: string };
      assert.equal(url, `http://localhost:3000/api/me/alerts/leaving.ics?token=${token}`);
      const feed = await t.app.inject({ method: 'GET', url: `/api/me/alerts/leaving.ics?token=${token}` });
      assert.equal(feed.statusCode, 200);
      assert.match(feed.headers['content-type'] as string, /^text\/calendar/);
      const text = feed.body;
      assert.ok(text.endsWith('\r\n'));
      assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'every line ends with CRLF');
      const lines = text.split('\r\n').slice(0, -1);
      for (const line of lines) assert.ok(Buffer.byteLength(line) <= 75, `line longer than 75 octets: ${line}`);
      const unfolded = text.replace(/\r\n /g, '').split('\r\n');
      assert.equal(unfolded[0], 'BEGIN:VCALENDAR');
      assert.ok(unfolded.includes('VERSION:2.0'));
      assert.equal(unfolded.filter((l) => l === 'BEGIN:VEVENT').length, 1);
      assert.ok(unfolded.includes('SUMMARY:Leaving Netflix: Crazy\\, Stupid\\, Love.'), text);
      assert.ok(unfolded.includes('DTSTART;VALUE=DATE:20300309'));
      assert.ok(unfolded.includes('DTEND;VALUE=DATE:20300310'));
      assert.ok(unfolded.includes('DTSTAMP:20300304T100000Z'));
      assert.ok(
        lines.some((l) => l.startsWith(' ')),
        'the long description is folded',
      );

      const engine = createAlertEngine(t.ctx, { name: 'leaving-engine' });
      await engine.tick();
      const list = await t.app.inject({ method: 'GET', url: '/api/me/notifications', headers: h });
      assert.deepEqual(
        list.json().items.map((i: { kind: string; subject: string }) => [i.kind, i.subject]),
        [['leaving', '“Crazy, Stupid, Love.” leaves Netflix on 2030-03-09']],
      );
      assert.equal((await engine.tick()).queued, 0, 'the next pass finds the same alert already queued');
      // The CLI reads the same list and marks it read.
      const { http } = await listen(t);
      const cli = (...args: string[]) =>
        run(process.execPath, [CLI, ...args, '--url', http], {
          env: { ...process.env, MG_TOKEN: h.authorization.slice('Bearer '.length) },
        });
      const listed = JSON.parse((await cli('notifications', '--json')).stdout) as {
        items: Array<{ id: string }>;
        unread: number;
      };
      assert.equal(listed.unread, 1);
      assert.match((await cli('notifications')).stdout, /1 unread\n[\s\S]*leaves Netflix on 2030-03-09/);
      assert.match((await cli('notifications', 'read', listed.items[0]!.id)).stdout, /^Marked ntf_\S+ read\.\n$/);
      assert.equal((await cli('notifications', '--unread')).stdout, 'No unread notifications.\n');
      await assert.rejects(cli('notifications', 'read', 'nope'), (e: { code: number }) => e.code === 2);
      await assert.rejects(cli('notifications', 'read', 'ntf_nope'), (e: { code: number }) => e.code === 3);

      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: '/api/me/alerts/feed-token', headers: h })).statusCode,
        204,
      );
      const revoked = await t.app.inject({ method: 'GET', url: `/api/me/alerts/leaving.ics?token=${token}` });
      assert.equal(revoked.statusCode, 404);
      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: '/api/me/alerts/feed-token', headers: h })).statusCode,
        404,
      );
      const bad = await t.app.inject({ method: 'GET', url: '/api/me/alerts/leaving.ics' });
      assert.equal(bad.statusCode, 400);
    });

    test('push subscriptions: register, validate, remove', async () => {
      const h = await as('pusher');
      const key = await t.app.inject({ method: 'GET', url: '/api/push/vapid-public-key' });
      assert.match(key.json().publicKey, /^[A-Za-z0-9_-]{87}$/);
      const again = await t.app.inject({ method: 'GET', url: '/api/push/vapid-public-key' });
      assert.equal(again.json().publicKey, key.json().publicKey, 'generated once, then stored');
      const sub = {
        endpoint: 'https://push.example.org/send/abc',
        keys: { p256dh: BROWSER_KEY, auth: 'A'.repeat(22) },
      };
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/me/push-subscriptions',
        headers: h,
        payload: { ...sub, keys: { p256dh: 'short', auth: 'x' } },
      });
      assert.equal(bad.statusCode, 400);
      const notOnTheCurve = await t.app.inject({
        method: 'POST',
        url: '/api/me/push-subscriptions',
        headers: h,
        payload: { ...sub, keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) } },
      });
      assert.equal(notOnTheCurve.statusCode, 400, 'a key no message could be encrypted to');
      assert.match(notOnTheCurve.body, /P-256/);
      assert.equal(
        (await t.app.inject({ method: 'POST', url: '/api/me/push-subscriptions', headers: h, payload: sub }))
          .statusCode,
        201,
      );
      const del = () =>
        t.app.inject({
          method: 'DELETE',
          url: '/api/me/push-subscriptions',
          headers: h,
          payload: { endpoint: sub.endpoint },
        });
      assert.equal((await del()).statusCode, 204);
      assert.equal((await del()).statusCode, 404);
    });
  });
}
