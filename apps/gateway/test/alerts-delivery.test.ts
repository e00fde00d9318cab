import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTokenService } from '@media-gateway/auth';
import { ingest, jsonlCanonicalSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { type ManualClock, manualClock, noopLogger } from '@media-gateway/domain';
import type { LiveNotification, SyncClient } from '@media-gateway/sync';
import { freshDb, redisUrl, testBackends } from '@media-gateway/testkit';
import type { FastifyInstance } from 'fastify';
import type { AlertEngine } from '../src/alerts/alert-engine.ts';
import { createAlertEngine } from '../src/alerts/alert-worker.ts';
import { buildApp } from '../src/app.ts';
import { contextFor } from '../src/compose.ts';
import type { AppContext } from '../src/context.ts';
import {
  startPushEndpoint,
  startSmtp,
  startWebhookReceiver,
  strangerThings,
  T0,
  writeJsonl,
} from './alerts-helpers.ts';
import { device, waitFor } from './sync-helpers.ts';
import { testConfig } from './test-app.ts';

/**
 * The headline of issue 19: a catalog change that makes a watchlist title available on the person's
 * service gives exactly one alert per person per channel, with two engines (two replicas) reading
 * the same events from one database at the same time: in-app (live over a real /sync socket, and in
 * the notification centre), by signed webhook, by email through a real SMTP server, and by Web Push
 * decrypted by a local push endpoint.
 */
for (const backend of testBackends()) {
  describe(`availability alerts end to end, two engines on one database (${backend})`, () => {
    let db: Db;
    let dir: string;
    let clock: ManualClock;
    const replicas: Array<{ app: FastifyInstance; ctx: AppContext; url: string }> = [];
    let engines: AlertEngine[];
    let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let push: Awaited<ReturnType<typeof startPushEndpoint>>;
    let client: SyncClient;
    const live: LiveNotification[] = [];
    let secret = '';
    let auth: Record<string, string>;
    let titleId: string;
    const redis = redisUrl();

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mg-alerts-'));
      db = await freshDb(backend);
      clock = manualClock(T0);
      // The title exists, but only in another region: not yet available to the person.
      await ingest({
        db,
        source: jsonlCanonicalSource(
          await writeJsonl(join(dir, 'v1.jsonl'), [
            strangerThings([{ platform: 'netflix', region: 'GB', monetization: 'subscription' }]),
          ]),
          { source: 'alerts-feed' },
        ),
      });
      titleId = (await db.query<{ id: string }>(`SELECT id FROM titles WHERE title = 'Stranger Things'`)).rows[0]!.id;
      webhook = await startWebhookReceiver(() => secret);
      smtp = await startSmtp();
      push = await startPushEndpoint();
      const config = testConfig({
        MG_ALERTS_SMTP_URL: smtp.url,
        MG_ALERTS_WEBHOOK_PRIVATE: 'on',
        // Replicas tell each other about notifications over Redis, as in production.
        ...(redis.url ? { REDIS_URL: redis.url } : {}),
      });
      for (let i = 0; i < 2; i++) {
        const tokens = await createTokenService(db, { issuer: config.publicUrl, clock });
        const ctx = contextFor({ config, db, logger: noopLogger, tokens, clock, closeDb: false });
        const app = await buildApp(ctx);
        replicas.push({ app, ctx, url: await app.listen({ port: 0, host: '127.0.0.1' }) });
      }
      const tokens = await createTokenService(db, { issuer: config.publicUrl, clock });
      const token = (
        await tokens.issueAccessToken({
          userId: 'alice',
          clientId: 'mg-web',
          scopes: ['watchlist:read', 'watchlist:write'],
        })
      ).token;
      auth = { authorization: `Bearer ${token}` };
      const [a] = replicas;
      const put = (url: string, payload: Record<string, unknown>) =>
        a!.app.inject({ method: 'PUT', url, headers: auth, payload });
      assert.equal((await put('/api/me/settings', { region: 'US', services: ['netflix'] })).statusCode, 200);
      const prefs = await put('/api/me/alerts', {
        kinds: ['available', 'leaving'],
        channels: ['inapp', 'webhook', 'email', 'push'],
        email: 'alice@example.org',
        webhookUrl: webhook.url,
      });
      assert.equal(prefs.statusCode, 200, prefs.body);
      secret = prefs.json().webhookSecret;
      assert.match(secret, /^whsec_/);
      const sub = await a!.app.inject({
        method: 'POST',
        url: '/api/me/push-subscriptions',
        headers: auth,
        payload: push.subscription,
      });
      assert.equal(sub.statusCode, 201, sub.body);
      const add = await a!.app.inject({ method: 'POST', url: '/api/watchlist', headers: auth, payload: { titleId } });
      assert.equal(add.statusCode, 201, add.body);
      // A device of Alice's, connected to replica 0 over a real WebSocket.
      client = await device(`${a!.url.replace(/^http/, 'ws')}/sync`, token, 'alice-laptop');
      client.on('notification', (n) => live.push(n));
      engines = replicas.map((r) => createAlertEngine(r.ctx));
      // First ticks: each engine starts reading at the present (the cursor is shared).
      for (const e of engines) await e.tick();
    });

    after(async () => {
      client?.close();
      for (const r of replicas) await r.app.close();
      await db.close();
      await Promise.all([webhook.close(), smtp.close(), push.close()]);
      await rm(dir, { recursive: true, force: true });
    });

    test('one catalog change → exactly one alert per channel, with both engines running at once', async () => {
      const summary = await ingest({
        db,
        source: jsonlCanonicalSource(
          await writeJsonl(join(dir, 'v2.jsonl'), [
            strangerThings([
              { platform: 'netflix', region: 'GB', monetization: 'subscription' },
              { platform: 'netflix', region: 'US', monetization: 'subscription' },
            ]),
          ]),
          { source: 'alerts-feed' },
        ),
      });
      assert.equal(summary.counts.offersAdded, 1);
      // Both engines read the same event concurrently, twice over: still one delivery per channel.
      const reports = await Promise.all(engines.map((e) => e.tick()));
      await Promise.all(engines.map((e) => e.tick()));
      assert.equal(
        reports.reduce((n, r) => n + r.queued, 0),
        4,
        'four deliveries queued between the two engines (one per channel)',
      );
      assert.equal(
        reports.reduce((n, r) => n + r.sent, 0),
        4,
      );

      const rows = await db.query<{ channel: string; status: string; attempts: number }>(
        `SELECT channel, status, attempts FROM alert_deliveries WHERE user_id = 'alice' ORDER BY channel`,
      );
      assert.deepEqual(
        rows.rows.map((r) => [r.channel, r.status, r.attempts]),
        [
          ['email', 'sent', 1],
          ['inapp', 'sent', 1],
          ['push', 'sent', 1],
          ['webhook', 'sent', 1],
        ],
      );

      // Webhook: one call, signature verified with the person's secret.
      assert.equal(webhook.calls.length, 1);
      const call = webhook.calls[0]!;
      assert.equal(call.signatureValid, true);
      assert.equal(call.timestamp, Math.floor(T0 / 1000));
      assert.equal(call.payload.alerts.length, 1);
      assert.equal(call.payload.alerts[0]!.kind, 'available');
      assert.equal(call.payload.alerts[0]!.titleId, titleId);

      // Email: one message, received and parsed by the SMTP server.
      await waitFor(() => smtp.messages.length >= 1, 'the email');
      assert.equal(smtp.messages.length, 1);
      const mail = smtp.messages[0]!;
      assert.equal(mail.subject, '“Stranger Things” is now on Netflix');
      assert.deepEqual(
        (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((t) => t?.value.map((v) => v.address)),
        ['alice@example.org'],
      );
      assert.match(mail.text ?? '', /now available on Netflix in US/);

      // Web Push: one message, decrypted with the subscription's private key (RFC 8291).
      assert.equal(push.received.length, 1);
      assert.equal(push.received[0]!.encoding, 'aes128gcm');
      assert.match(push.received[0]!.authorization, /^vapid t=[^,]+, k=[A-Za-z0-9_-]+$/);
      const pushed = push.received[0]!.payload as { title: string; alerts: Array<{ titleId: string }> };
      assert.equal(pushed.title, '“Stranger Things” is now on Netflix');
      assert.equal(pushed.alerts[0]!.titleId, titleId);

      // In-app: the notification centre holds one, and the connected device got it live.
      const list = await replicas[1]!.app.inject({ method: 'GET', url: '/api/me/notifications', headers: auth });
      assert.equal(list.statusCode, 200);
      assert.equal(list.json().items.length, 1);
      assert.equal(list.json().unread, 1);
      // Whichever engine sent it, the device on replica 0 gets it: through Redis when the other did.
      if (redis.url) {
        await waitFor(() => live.length >= 1, 'the live notification on /sync');
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(live.length, 1);
        assert.equal(live[0]!.id, list.json().items[0].id);
        assert.equal(live[0]!.titleId, titleId);
      }

      // Marking it read.
      const id = list.json().items[0].id as string;
      const read = await replicas[0]!.app.inject({
        method: 'POST',
        url: `/api/me/notifications/${id}/read`,
        headers: auth,
      });
      assert.equal(read.statusCode, 204);
      const after = await replicas[0]!.app.inject({ method: 'GET', url: '/api/me/notifications', headers: auth });
      assert.equal(after.json().unread, 0);
      assert.equal(after.json().items[0].readAt, new Date(T0).toISOString());
      const missing = await replicas[0]!.app.inject({
        method: 'POST',
        url: '/api/me/notifications/ntf_nope/read',
        headers: auth,
      });
      assert.equal(missing.statusCode, 404);
    });

    test('the same arrival reported again (a re-ingest, a second source) alerts nobody twice', async () => {
      await ingest({
        db,
        source: jsonlCanonicalSource(
          await writeJsonl(join(dir, 'v3.jsonl'), [
            { ...strangerThings([{ platform: 'netflix', region: 'US', monetization: 'subscription' }]), id: 'other' },
          ]),
          { source: 'alerts-other-feed' },
        ),
      });
      // The second source's record resolved onto the same title (same IMDb id): a real second report.
      const offers = await db.query<{ source: string }>(
        `SELECT source FROM offers WHERE title_id = $1 AND region = 'US' ORDER BY source`,
        [titleId],
      );
      assert.deepEqual(
        offers.rows.map((r) => r.source),
        ['alerts-feed', 'alerts-other-feed'],
      );
      const reports = await Promise.all(engines.map((e) => e.tick()));
      assert.equal(
        reports.reduce((n, r) => n + r.queued, 0),
        0,
      );
      assert.equal(webhook.calls.length, 1);
      assert.equal(push.received.length, 1);
    });
  });
}
