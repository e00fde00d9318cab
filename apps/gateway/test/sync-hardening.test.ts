import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addToWatchlist, CLOSE, toBase64 } from '@media-gateway/sync';
import { redisUrl, testBackends } from '@media-gateway/testkit';
import * as Y from 'yjs';
import {
  type AuthReplicas,
  type AuthTestApp,
  createAuthReplicas,
  accountForm,
  createAuthTestApp,
  FORM,
  form,
  newUser,
  webTokens,
} from './auth-helpers.ts';
import { rawSocket, waitFor } from './sync-helpers.ts';

const EMPTY_SV = toBase64(Y.encodeStateVector(new Y.Doc()));
type Frame = { type: string; id?: number };

/** A device that said hello on `wsUrl`; `write` sends one watchlist edit. */
async function helloDevice(wsUrl: string, token: string, deviceId: string) {
  const raw = rawSocket(wsUrl, token);
  await raw.opened;
  raw.socket.send(JSON.stringify({ v: 1, type: 'hello', deviceId, stateVector: EMPTY_SV }));
  await waitFor(() => raw.frames.some((f) => (f as Frame).type === 'welcome'), `${deviceId} welcome`);
  let id = 0;
  return {
    ...raw,
    write(): number {
      const doc = new Y.Doc();
      addToWatchlist(doc, `mg_revokedxxx${'abcdefghij'[id % 10]}${'klmnopqrst'[id % 10]}`, deviceId, 1_000 + id);
      raw.socket.send(JSON.stringify({ v: 1, type: 'update', id: ++id, update: toBase64(Y.encodeStateAsUpdate(doc)) }));
      return id;
    },
    acked: (n: number) => raw.frames.some((f) => (f as Frame).type === 'ack' && (f as Frame).id === n),
  };
}

async function closedWithin(closed: Promise<{ code: number }>, ms: number): Promise<{ code: number; ms: number }> {
  const start = Date.now();
  const result = await Promise.race([
    closed,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms)),
  ]);
  return { code: result.code, ms: Date.now() - start };
}

const syncScopes = 'watchlist:read watchlist:write devices';

for (const backend of testBackends()) {
  describe(`sync sockets live only as long as their token (${backend})`, () => {
    let t: AuthTestApp;
    let ws = '';
    before(async () => {
      t = await createAuthTestApp(backend);
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      ws = `${address.replace(/^http/, 'ws')}/sync`;
    });
    after(() => t.close());

    test('[S11] revoking the grant closes the socket within seconds (4401); a later write is never acked', async () => {
      const person = await newUser(t);
      const tokens = await webTokens(t, person.jar, syncScopes);
      const dev = await helloDevice(ws, tokens.access_token, 'laptop');
      const first = dev.write();
      await waitFor(() => dev.acked(first), 'the first write is acknowledged').catch((e) => {
        throw new Error(`${e.message}: ${JSON.stringify(dev.frames).slice(0, 600)}`);
      });
      const revoke = await t.app.inject({
        method: 'POST',
        url: '/oauth/revoke',
        headers: FORM,
        payload: form({ token: tokens.refresh_token, client_id: 'mg-web' }),
      });
      assert.equal(revoke.statusCode, 200);
      const late = dev.write();
      const closed = await closedWithin(dev.closed, 5000);
      assert.equal(closed.code, CLOSE.UNAUTHENTICATED);
      assert.ok(!dev.acked(late), 'no write after the revocation is acknowledged');
    });

    test('[S11] sign out everywhere, password change and account deletion close the person’s sockets', async () => {
      for (const how of ['logout-everywhere', 'password', 'delete'] as const) {
        const person = await newUser(t);
        const tokens = await webTokens(t, person.jar, syncScopes);
        const dev = await helloDevice(ws, tokens.access_token, `dev-${how}`);
        const res =
          how === 'logout-everywhere'
            ? await accountForm(t.app, person.jar, '/auth/logout-everywhere')
            : how === 'password'
              ? await accountForm(t.app, person.jar, '/auth/password', {
                  current_password: person.password,
                  new_password: 'another long passphrase',
                })
              : await accountForm(t.app, person.jar, '/auth/account/delete', {
                  password: person.password,
                  confirm: 'delete my account',
                });
        assert.ok(res.statusCode < 400, `${how}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        const closed = await closedWithin(dev.closed, 5000);
        assert.equal(closed.code, CLOSE.UNAUTHENTICATED, how);
      }
    });

    test('[S10] one user holds at most 32 sockets: the 33rd is closed with 4430, others unaffected', async () => {
      const token = await t.token('flooder', ['watchlist:read', 'watchlist:write']);
      const socks = Array.from({ length: 40 }, () => rawSocket(ws, token));
      const outcomes = await Promise.all(
        socks.map((s) =>
          Promise.race([
            s.closed.then((c) => c.code),
            s.opened.then(() => new Promise<number>((r) => setTimeout(() => r(0), 1500))),
          ]),
        ),
      );
      assert.equal(outcomes.filter((c) => c === 0).length, 32, 'exactly the cap stays open');
      assert.equal(outcomes.filter((c) => c === CLOSE.TOO_MANY_CONNECTIONS).length, 8);
      const other = await helloDevice(ws, await t.token('bystander', ['watchlist:read']), 'tv');
      assert.ok(other.frames.some((f) => (f as Frame).type === 'welcome'));
      for (const s of socks) s.socket.close();
      other.socket.close();
      // Closing frees the slots: the user can connect again.
      await waitFor(async () => {
        const again = rawSocket(ws, token);
        const code = await Promise.race([again.closed.then((c) => c.code), again.opened.then(() => 0)]);
        again.socket.close();
        return code === 0;
      }, 'a slot after the others closed');
    });

    test('[S11] an expired token closes the socket with 4440 (reconnect with a fresh one)', async () => {
      const person = await newUser(t);
      const tokens = await webTokens(t, person.jar, syncScopes);
      const dev = await helloDevice(ws, tokens.access_token, 'tablet');
      t.advance(tokens.expires_in + 1);
      const closed = await closedWithin(dev.closed, 5000);
      assert.equal(closed.code, CLOSE.TOKEN_EXPIRED);
    });
  });
}

const redis = redisUrl();
for (const backend of testBackends()) {
  describe(`a revocation on one replica closes sockets on another (${backend}, Redis)`, { skip: redis.skip }, () => {
    let r: AuthReplicas;
    let wsB = '';
    before(async () => {
      // Polling off: only Redis pub/sub can tell B about the revocation.
      r = await createAuthReplicas(backend, { REDIS_URL: redis.url!, MG_AUTH_REVOCATION_POLL_MS: '0' });
      const address = await r.b.app.listen({ port: 0, host: '127.0.0.1' });
      wsB = `${address.replace(/^http/, 'ws')}/sync`;
    });
    after(() => r?.close());

    test('[S11] sign out everywhere on A closes the socket held by B within 5 s', async () => {
      const person = await newUser(r.a);
      const tokens = await webTokens(r.a, person.jar, syncScopes);
      const dev = await helloDevice(wsB, tokens.access_token, 'phone');
      const res = await accountForm(r.a.app, person.jar, '/auth/logout-everywhere');
      assert.equal(res.statusCode, 303);
      const closed = await closedWithin(dev.closed, 5000);
      assert.equal(closed.code, CLOSE.UNAUTHENTICATED);
    });
  });
}
