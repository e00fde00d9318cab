import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ManualClock, manualClock } from '@media-gateway/domain';
import type { ContractOptions } from './options.ts';

/** The `SessionService` shape from `@media-gateway/auth` (structural: testkit does not depend on auth). */
export interface ContractSessionStore {
  readonly store: string;
  create(
    userId: string,
    userAgent?: string,
  ): Promise<{ id: string; session: { userId: string; csrfToken: string; expiresAt: Date } }>;
  get(id: string | undefined): Promise<{ userId: string; csrfToken: string; expiresAt: Date } | undefined>;
  revoke(id: string): Promise<void>;
  revokeAll(userId: string): Promise<number>;
}

export interface SessionStoreFixture {
  sessions: ContractSessionStore;
  /** A person the store may hold sessions for (the database store needs a `users` row). */
  newUser(): Promise<string>;
  close(): Promise<void>;
}

export type MakeSessionStore = (clock: ManualClock) => Promise<SessionStoreFixture>;

/**
 * The web-session contract (`SessionService` in `@media-gateway/auth`): the database store and the
 * Redis store (decision 0034) claim to behave the same; this is what "the same" means.
 *
 * Checked: a created session reads back with its user, CSRF token and an expiry `ttlSeconds` after
 * creation; ids and CSRF tokens are random per session; missing, empty, overlong and unknown ids
 * read as nothing; a session is valid until one millisecond before its expiry on the auth clock and
 * gone at it; revoking ends that session only and is idempotent (unknown ids too); "sign out
 * everywhere" ends every live session of that person only, returns how many ended, and a new
 * sign-in afterwards works.
 *
 * Not common, tested beside each store: the database store refuses sessions of a deleted account
 * (the Redis store relies on account deletion calling revokeAll); the Redis store answers
 * UPSTREAM_UNAVAILABLE when Redis is gone and never stores the raw id.
 */
export function runSessionStoreContract(
  name: string,
  makeStore: MakeSessionStore,
  ttlSeconds: number,
  options: ContractOptions = {},
): void {
  const START = Date.UTC(2030, 5, 1, 8, 0, 0);
  const it = (title: string, fn: (f: SessionStoreFixture, clock: ManualClock) => Promise<void>) =>
    test(title, { todo: options.todo?.[title] }, async () => {
      const clock = manualClock(START);
      const f = await makeStore(clock);
      try {
        await fn(f, clock);
      } finally {
        await f.close();
      }
    });

  describe(`session store contract: ${name}`, () => {
    it('a created session reads back with its user, CSRF token and expiry', async ({ sessions, newUser }) => {
      const user = await newUser();
      const { id, session } = await sessions.create(user, 'Mozilla/5.0 (contract)');
      assert.equal(session.userId, user);
      assert.equal(session.expiresAt.getTime(), START + ttlSeconds * 1000);
      assert.ok(id.length >= 32, 'the id carries enough entropy');
      assert.ok(session.csrfToken.length >= 24);
      const read = await sessions.get(id);
      assert.deepEqual(read, session);
    });

    it('ids and CSRF tokens are random per session', async ({ sessions, newUser }) => {
      const user = await newUser();
      const a = await sessions.create(user);
      const b = await sessions.create(user);
      assert.notEqual(a.id, b.id);
      assert.notEqual(a.session.csrfToken, b.session.csrfToken);
      assert.equal((await sessions.get(a.id))?.csrfToken, a.session.csrfToken);
      assert.equal((await sessions.get(b.id))?.csrfToken, b.session.csrfToken);
    });

    it('missing, empty, overlong and unknown ids read as nothing', async ({ sessions, newUser }) => {
      const { id } = await sessions.create(await newUser());
      assert.equal(await sessions.get(undefined), undefined);
      assert.equal(await sessions.get(''), undefined);
      assert.equal(await sessions.get('x'.repeat(101)), undefined);
      assert.equal(await sessions.get(`${id}x`), undefined, 'an id with a character added');
      assert.equal(await sessions.get(id.slice(0, -1)), undefined, 'an id with a character missing');
      assert.equal(await sessions.get(id.toUpperCase() === id ? id.toLowerCase() : id.toUpperCase()), undefined);
    });

    it('valid until its expiry on the auth clock, gone at it', async ({ sessions, newUser }, clock) => {
      const { id } = await sessions.create(await newUser());
      clock.advance(ttlSeconds * 1000 - 1);
      assert.ok(await sessions.get(id), 'one millisecond before expiry');
      clock.advance(1);
      assert.equal(await sessions.get(id), undefined, 'at expiry');
      clock.set(START);
      const fresh = await sessions.create(await newUser());
      clock.advance(ttlSeconds * 1000 * 10);
      assert.equal(await sessions.get(fresh.id), undefined, 'long after expiry');
    });

    it('revoking ends that session only, and may be repeated', async ({ sessions, newUser }) => {
      const user = await newUser();
      const a = await sessions.create(user);
      const b = await sessions.create(user);
      await sessions.revoke(a.id);
      assert.equal(await sessions.get(a.id), undefined);
      assert.ok(await sessions.get(b.id), 'the other session of the same person stays');
      await sessions.revoke(a.id);
      await sessions.revoke('never-issued-session-id');
      assert.ok(await sessions.get(b.id));
    });

    it('sign out everywhere ends every session of that person only and counts them', async ({ sessions, newUser }) => {
      const alice = await newUser();
      const bob = await newUser();
      const a1 = await sessions.create(alice);
      const a2 = await sessions.create(alice);
      const a3 = await sessions.create(alice);
      const b1 = await sessions.create(bob);
      await sessions.revoke(a3.id);
      assert.equal(await sessions.revokeAll(alice), 2, 'the two live sessions; the revoked one is not counted');
      assert.equal(await sessions.get(a1.id), undefined);
      assert.equal(await sessions.get(a2.id), undefined);
      assert.ok(await sessions.get(b1.id), "another person's session stays");
      assert.equal(await sessions.revokeAll(alice), 0, 'nothing left to end');
      assert.equal(await sessions.revokeAll(await newUser()), 0, 'a person without sessions');
      const again = await sessions.create(alice);
      assert.equal((await sessions.get(again.id))?.userId, alice, 'signing in again afterwards works');
    });
  });
}
