import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { bearer } from './admin-helpers.ts';
import { type AuthTestApp, createAuthTestApp, newUser, refresh, signIn, userinfo, webTokens } from './auth-helpers.ts';

for (const backend of testBackends()) {
  describe(`an operator deletes an account or sets a new password (${backend})`, () => {
    let t: AuthTestApp;
    let adminToken: string;
    let adminId: string;
    before(async () => {
      t = await createAuthTestApp(backend);
      const admin = await newUser(t, { admin: true });
      adminId = admin.user.id;
      adminToken = (await webTokens(t, admin.jar, 'admin catalog:read')).access_token;
    });
    after(() => t.close());

    test("deleting an account ends its sign-ins at once and erases its data; not one's own, not the last admin", async () => {
      const leaver = await newUser(t);
      const tokens = await webTokens(t, leaver.jar);
      const watch = await t.app.inject({
        method: 'PUT',
        url: '/api/me/settings',
        headers: bearer(tokens.access_token),
        payload: { region: 'GB' },
      });
      assert.equal(watch.statusCode, 200, watch.body);
      const del = await t.app.inject({
        method: 'DELETE',
        url: `/api/admin/users/${leaver.user.id}`,
        headers: bearer(adminToken),
      });
      assert.equal(del.statusCode, 204, del.body);
      assert.equal((await userinfo(t.app, tokens.access_token)).statusCode, 401, 'the access token is dead');
      assert.equal((await refresh(t, tokens.refresh_token)).body['error'], 'invalid_grant');
      const { rows } = await t.ctx.db.query('SELECT 1 FROM user_settings WHERE user_id = $1', [leaver.user.id]);
      assert.equal(rows.length, 0, 'their settings are erased');
      const list = await t.app.inject({ url: '/api/admin/users', headers: bearer(adminToken) });
      assert.ok(!list.body.includes(leaver.email), 'no longer listed');
      const again = await t.app.inject({
        method: 'DELETE',
        url: `/api/admin/users/${leaver.user.id}`,
        headers: bearer(adminToken),
      });
      assert.equal(again.statusCode, 404);
      const self = await t.app.inject({
        method: 'DELETE',
        url: `/api/admin/users/${adminId}`,
        headers: bearer(adminToken),
      });
      assert.equal(self.statusCode, 409);
      assert.equal(self.json().reason, 'own_account');
      const notAdmin = await webTokens(t, (await newUser(t)).jar, 'catalog:read');
      const refused = await t.app.inject({
        method: 'DELETE',
        url: `/api/admin/users/${adminId}`,
        headers: bearer(notAdmin.access_token),
      });
      assert.equal(refused.statusCode, 403);
    });

    test('two administrators deleting each other at the same moment leave one administrator', async () => {
      const pair = await Promise.all([newUser(t, { admin: true }), newUser(t, { admin: true })]);
      // Only these two are administrators, so whichever deletion comes second would leave none. Both requests can
      // pass the route's friendly check before either deletes: the deletions themselves must keep one.
      await t.ctx.db.query('UPDATE users SET is_admin = false WHERE id = $1', [adminId]);
      try {
        const users = (await t.ctx.services.auth()).users;
        const outcomes = await Promise.allSettled([
          users.deleteUser(pair[1]!.user.id, { userId: pair[0]!.user.id, clientId: 'mg-web' }),
          users.deleteUser(pair[0]!.user.id, { userId: pair[1]!.user.id, clientId: 'mg-web' }),
        ]);
        assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
        const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
        assert.equal(refused.reason.details?.reason, 'last_admin', String(refused.reason));
        const { rows } = await t.ctx.db.query('SELECT id FROM users WHERE is_admin AND deleted_at IS NULL');
        assert.equal(rows.length, 1, 'one administrator is left');
      } finally {
        await t.ctx.db.query('UPDATE users SET is_admin = true WHERE id = $1', [adminId]);
      }
    });

    test('a new password set by the operator works, the old one does not, and every sign-in ends', async () => {
      const forgetful = await newUser(t);
      const tokens = await webTokens(t, forgetful.jar);
      const weak = await t.app.inject({
        method: 'PUT',
        url: `/api/admin/users/${forgetful.user.id}/password`,
        headers: bearer(adminToken),
        payload: { password: 'short' },
      });
      assert.equal(weak.statusCode, 400);
      const set = await t.app.inject({
        method: 'PUT',
        url: `/api/admin/users/${forgetful.user.id}/password`,
        headers: bearer(adminToken),
        payload: { password: 'a brand new passphrase' },
      });
      assert.equal(set.statusCode, 204, set.body);
      assert.equal((await userinfo(t.app, tokens.access_token)).statusCode, 401);
      assert.ok(await t.auth.users.verifyPassword(forgetful.email, 'a brand new passphrase'));
      assert.equal(await t.auth.users.verifyPassword(forgetful.email, forgetful.password), undefined);
      assert.ok(await signIn(t.app, forgetful.email, 'a brand new passphrase'));
    });
  });
}
