import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AuthFixture, authFixture } from './auth-fixture.ts';

describe('the first administrator (MG_ADMIN_EMAIL / MG_ADMIN_PASSWORD)', () => {
  let f: AuthFixture;
  before(async () => {
    f = await authFixture();
  });
  after(() => f.close());

  test('replicas starting together create it once, and none of them fails', async () => {
    // Each sees no administrator, hashes the password, then inserts: the unique email decides.
    const results = await Promise.all(
      [1, 2, 3].map(() => f.auth.users.bootstrapAdmin('admin@example.test', 'first admin password')),
    );
    assert.equal(results.filter((u) => u !== undefined).length, 1, 'one of them created it');
    const { rows } = await f.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE is_admin');
    assert.equal(rows[0]!.n, 1);
    assert.equal(await f.auth.users.bootstrapAdmin('admin@example.test', 'first admin password'), undefined);
  });
});
