import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from '../../gateway/test/test-app.ts';
import { runCli } from './run-cli.ts';

for (const backend of testBackends()) {
  describe(`media-gateway recommend against a running gateway (${backend})`, () => {
    let t: TestApp;
    let url: string;
    let env: Record<string, string>;
    let token: string;
    before(async () => {
      t = await createTestApp({ backend, sample: true });
      url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      token = await t.token('cli-person', ['recommendations']);
      // A home without stored logins, so only MG_TOKEN can sign the CLI in.
      const home = await mkdtemp(join(tmpdir(), 'mg-rec-cli-'));
      env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), MG_DATA_DIR: join(home, 'data'), MG_TOKEN: token };
      const { rows } = await t.ctx.db.query<{ id: string }>(
        "SELECT id FROM titles WHERE 'comedy' = ANY(genres) ORDER BY id LIMIT 2",
      );
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/events',
        headers: { authorization: `Bearer ${token}` },
        payload: { events: rows.map((r, k) => ({ id: `cli-${k}`, type: 'like', titleId: r.id })) },
      });
      assert.equal(res.statusCode, 202, res.body);
    });
    after(async () => t.close());

    test('--json prints exactly the API body for the signed-in person', async () => {
      const cli = await runCli(['recommend', '--json', '--limit', '7', '--mood', 'funny', '--url', url], env);
      assert.equal(cli.code, 0, cli.stderr);
      const body = JSON.parse(cli.stdout);
      assert.equal(body.items.length, 7);
      const api = await t.app.inject({
        method: 'GET',
        url: `/api/recommendations?limit=7&mood=funny&hour=${new Date().getHours()}`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.deepEqual(body, api.json());
      assert.ok(
        body.items.some((i: { why: string }) => /^because you liked /.test(i.why)),
        cli.stdout,
      );
    });

    test('the table names why; bad flags and a missing token exit non-zero with one line', async () => {
      const table = await runCli(['recommend', '--limit', '5', '--url', url], env);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^TITLE +YEAR +ON +SEEN +WHY +ID\n/);
      assert.equal(table.stdout.trim().split('\n').length, 6);
      // Every row says when its services were seen (the sample's date, stale by now).
      for (const row of table.stdout.trim().split('\n').slice(1)) assert.match(row, / as of 2025-06-01 \(stale\) /);
      assert.match(table.stdout, /because you liked /);
      const mood = await runCli(['recommend', '--mood', 'gloomy', '--url', url], env);
      assert.equal(mood.code, 2);
      assert.match(mood.stderr, /unknown mood "gloomy"/);
      assert.equal(mood.stderr.trim().split('\n').length, 1);
      const noToken = await runCli(['recommend', '--url', url], { ...env, MG_TOKEN: '' });
      assert.equal(noToken.code, 4, noToken.stderr);
      assert.equal(noToken.stderr.trim().split('\n').length, 1);
    });
  });
}
