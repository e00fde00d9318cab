import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { TABLES } from '../src/privacy/personal-tables.ts';
import { sweepRetention } from '../src/privacy/retention.ts';
import {
  agentToken,
  type AuthTestApp,
  createAuthTestApp,
  csrfIn,
  FORM,
  form,
  newUser,
  webTokens,
} from './auth-helpers.ts';

const BIN = resolve(import.meta.dirname, '..', '..', 'cli', 'bin', 'media-gateway.js');
const SCHEMA = JSON.parse(readFileSync(new URL('../../../docs/privacy/export.schema.json', import.meta.url), 'utf8'));

/** The parts of the export this file reads; the published schema checks the whole document. */
interface ExportedFields {
  account: { email: string };
  settings: { services: string[] };
  watchlist: Array<{ titleId: string }>;
  progress: Array<{ titleId: string; positionSeconds: number }>;
  feedbackEvents: Array<{ titleId: string }>;
  recommendationProfile: { events: number };
  grants: Array<{ clientId: string }>;
  sessions: unknown[];
  audit: unknown[];
  alerts: { settings: { webhookUrl: string | null }; notifications: unknown[] };
}

for (const backend of testBackends()) {
  describe(`the person's data: export and erasure (${backend})`, () => {
    let t: AuthTestApp;
    before(async () => {
      t = await createAuthTestApp(backend);
      const { ingest, sampleSource } = await import('@media-gateway/catalog');
      await ingest({
        db: t.ctx.db,
        source: sampleSource(),
      });
    });
    after(() => t.close());

    /** A person with something in every personal table: settings, sync state, feedback, grants, sessions, audit. */
    async function activePerson() {
      const person = await newUser(t);
      const tokens = await webTokens(t, person.jar);
      const bearer = { authorization: `Bearer ${tokens.access_token}` };
      const { rows } = await t.ctx.db.query<{ id: string }>('SELECT id FROM titles ORDER BY id LIMIT 3');
      const [a, b, c] = rows.map((r) => r.id);
      const call = async (method: 'PUT' | 'POST', url: string, payload: unknown) => {
        const res = await t.app.inject({ method, url, headers: bearer, payload: payload as object });
        assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      };
      await call('PUT', '/api/me/settings', { region: 'US', services: ['netflix'], onboardingPicks: [a] });
      await call('POST', '/api/watchlist', { titleId: b });
      await call('PUT', `/api/progress/${b}`, { positionSeconds: 120, durationSeconds: 3600 });
      await call('POST', '/api/events', { events: [{ id: 'e1', type: 'like', titleId: c }] });
      await call('PUT', '/api/me/alerts', {
        kinds: ['available', 'leaving'],
        webhookUrl: 'https://hooks.example.com/x',
      });
      // A failed sign-in with their email leaves an audit row naming it.
      const page = await t.app.inject({ url: '/auth/login' });
      await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { ...FORM, cookie: page.headers['set-cookie']?.toString().split(';')[0] ?? '' },
        payload: form({ email: person.email, password: 'wrong password', csrf: csrfIn(page.body) }),
      });
      return { ...person, tokens, bearer, titles: { a, b, c } };
    }

    test('GET /api/me/export holds all about the person and validates against the published schema', async () => {
      const p = await activePerson();
      const res = await t.app.inject({ url: '/api/me/export', headers: p.bearer });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      const doc = res.json() as ExportedFields;
      const ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats.default(ajv);
      const validate = ajv.compile(SCHEMA);
      assert.ok(validate(doc), JSON.stringify(validate.errors).slice(0, 800));
      assert.equal(doc.account.email, p.email);
      assert.deepEqual(doc.settings.services, ['netflix']);
      assert.ok(doc.watchlist.some((w) => w.titleId === p.titles.b));
      assert.ok(doc.progress.some((x) => x.titleId === p.titles.b && x.positionSeconds === 120));
      assert.equal(doc.feedbackEvents[0]?.titleId, p.titles.c);
      assert.equal(doc.recommendationProfile.events, 1);
      assert.ok(doc.grants.some((g) => g.clientId === 'mg-web'));
      assert.ok(doc.sessions.length >= 1);
      assert.ok(doc.audit.length >= 1);
      assert.equal(doc.alerts.settings.webhookUrl, 'https://hooks.example.com/x', 'alert choices are in it');
      assert.deepEqual(doc.alerts.notifications, []);
      assert.doesNotMatch(res.body, /password_hash|\$argon2|refresh_token|id_hash/, 'no secrets');
      // Another app with a valid token of the person cannot pull the whole record.
      const agent = await agentToken(t, p.user.id, ['catalog:read']);
      assert.equal(
        (await t.app.inject({ url: '/api/me/export', headers: { authorization: `Bearer ${agent}` } })).statusCode,
        403,
      );
    });

    test('media-gateway me export prints the same document; a third-party token is refused with exit ≠ 0', async () => {
      const p = await activePerson();
      const http = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const run = (token: string) =>
        promisify(execFile)(process.execPath, [BIN, 'me', 'export', '--url', http], {
          env: { ...process.env, MG_TOKEN: token },
        });
      const { stdout } = await run(p.tokens.access_token);
      const doc = JSON.parse(stdout) as { format: string; account: { email: string } };
      assert.equal(doc.format, 'media-gateway.person-export.v1');
      assert.equal(doc.account.email, p.email);
      const agent = await agentToken(t, p.user.id, ['catalog:read']);
      await assert.rejects(
        run(agent),
        (e: { code: number; stderr: string }) => e.code !== 0 && /own apps/.test(e.stderr),
      );
    });

    test('retention: the sweep deletes feedback events and audit entries past their days, nothing newer', async () => {
      const p = await activePerson();
      const { rows: newest } = await t.ctx.db.query<{ at: Date }>(
        'SELECT max(occurred_at) AS at FROM rec_events WHERE user_id = $1',
        [p.user.id],
      );
      const seen = newest[0]!.at.getTime();
      await t.ctx.db.query(
        'INSERT INTO rec_events (user_id, client_event_id, type, title_id, occurred_at) ' +
          "VALUES ($1, 'old', 'view', $2, $3)",
        [p.user.id, p.titles.a, new Date(seen - 800 * 86_400_000)],
      );
      await t.ctx.db.query("INSERT INTO audit_log (event, user_id, at) VALUES ('old.event', $1, $2)", [
        p.user.id,
        new Date(seen - 400 * 86_400_000),
      ]);
      // Judged by the clock passed in, one day after the newest event: 730 and 365 days.
      const swept = await sweepRetention(t.ctx.db, seen + 86_400_000, { eventsDays: 730, auditDays: 365 });
      assert.ok(swept.events >= 1 && swept.audit >= 1, JSON.stringify(swept));
      const left = await t.ctx.db.query<{ id: string }>(
        'SELECT client_event_id AS id FROM rec_events WHERE user_id = $1',
        [p.user.id],
      );
      assert.deepEqual(
        left.rows.map((r) => r.id),
        ['e1'],
      );
      const none = await sweepRetention(t.ctx.db, seen + 86_400_000, { eventsDays: 0, auditDays: 0 });
      assert.deepEqual(none, { events: 0, audit: 0 });
    });

    test('every table in the schema is in the data map (a new table needs a privacy decision)', async () => {
      const { rows } = await t.ctx.db.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables ' +
          "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
      );
      const inDb = rows.map((r) => r.table_name).sort();
      assert.deepEqual(inDb, Object.keys(TABLES).sort());
    });

    test('deleting the account leaves no trace of the user id or email in any table', async () => {
      const p = await activePerson();
      const other = await activePerson();
      const page = await t.app.inject({ method: 'GET', url: '/auth/account', headers: { cookie: p.jar } });
      const del = await t.app.inject({
        method: 'POST',
        url: '/auth/account/delete',
        headers: { ...FORM, cookie: p.jar },
        payload: form({ csrf: csrfIn(page.body), password: p.password }),
      });
      assert.equal(del.statusCode, 303, del.body);
      const { rows: tables } = await t.ctx.db.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables ' +
          "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
      );
      assert.ok(tables.length >= 30);
      const needles = [p.user.id, p.email.toLowerCase(), Buffer.from(p.user.id).toString('hex')];
      const traces: string[] = [];
      let otherFound = 0;
      for (const { table_name } of tables) {
        // The whole row as text (bytea columns appear as hex), searched for each needle.
        const { rows: found } = await t.ctx.db.query<{ n: number; o: number }>(
          `SELECT count(*) FILTER (WHERE position($1 in lower(x::text)) > 0 OR position($2 in lower(x::text)) > 0
             OR position($3 in lower(x::text)) > 0)::int AS n,
                  count(*) FILTER (WHERE position($4 in x::text) > 0)::int AS o
           FROM "${table_name}" x`,
          [needles[0]!.toLowerCase(), needles[1], needles[2], other.user.id],
        );
        if (found[0]!.n > 0) traces.push(`${table_name}: ${found[0]!.n}`);
        otherFound += found[0]!.o;
      }
      assert.deepEqual(traces, [], 'rows still naming the erased person');
      assert.ok(otherFound >= 5, 'the other person’s data is untouched');
      // The erased person's tokens are refused and the export is gone.
      assert.equal((await t.app.inject({ url: '/api/me/export', headers: p.bearer })).statusCode, 401);
    });
  });
}
