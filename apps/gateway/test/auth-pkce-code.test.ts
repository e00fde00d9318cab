import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import {
  type AuthTestApp,
  authorize,
  createAuthTestApp,
  newUser,
  pkce,
  token,
  userinfo,
  WEB_REDIRECT,
  webTokens,
} from './auth-helpers.ts';

// Authorization code + PKCE (RFC 7636, RFC 9700 §2.1.1): EXTERNAL-APIS.md checks B12–B20.
for (const backend of testBackends()) {
  describe(`code + PKCE (${backend})`, () => {
    let t: AuthTestApp;
    let jar: string;
    before(async () => {
      t = await createAuthTestApp(backend);
      jar = (await newUser(t)).jar;
    });
    after(() => t.close());

    const base = (extra: Record<string, string | undefined> = {}) => ({
      response_type: 'code',
      client_id: 'mg-web',
      redirect_uri: WEB_REDIRECT,
      state: 'xyz',
      ...extra,
    });
    const exchange = (code: string, verifier: string | undefined, extra: Record<string, string | undefined> = {}) =>
      token(t.app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: WEB_REDIRECT,
        client_id: 'mg-web',
        code_verifier: verifier,
        ...extra,
      });
    async function codeFor(challenge: string) {
      const { location } = await authorize(
        t.app,
        jar,
        base({ code_challenge: challenge, code_challenge_method: 'S256' }),
      );
      return location!.searchParams.get('code')!;
    }

    test('[B12] a public client without code_challenge → redirect with invalid_request, state kept', async () => {
      const { res, location } = await authorize(t.app, jar, base({ state: 'a b/c?d' }));
      assert.equal(res.statusCode, 303);
      assert.equal(location!.origin + location!.pathname, WEB_REDIRECT);
      assert.equal(location!.searchParams.get('error'), 'invalid_request');
      assert.equal(location!.searchParams.get('state'), 'a b/c?d');
      assert.equal(location!.searchParams.get('code'), null);
    });

    test('[B13] code_challenge_method plain or unknown → invalid_request', async () => {
      const { challenge } = pkce();
      for (const method of ['plain', 'S512', undefined]) {
        const { location } = await authorize(
          t.app,
          jar,
          base({ code_challenge: challenge, code_challenge_method: method }),
        );
        assert.equal(location!.searchParams.get('error'), 'invalid_request', String(method));
      }
    });

    test('[B14] an S256 challenge must be exactly 43 base64url characters without padding', async () => {
      const { challenge } = pkce();
      for (const bad of [
        challenge.slice(0, 42),
        `${challenge}A`,
        `${challenge.slice(0, 42)}=`,
        `${challenge.slice(0, 42)}+`,
      ]) {
        const { location } = await authorize(t.app, jar, base({ code_challenge: bad, code_challenge_method: 'S256' }));
        assert.equal(location!.searchParams.get('error'), 'invalid_request', bad);
      }
      const { location } = await authorize(
        t.app,
        jar,
        base({ code_challenge: challenge, code_challenge_method: 'S256' }),
      );
      assert.ok(location!.searchParams.get('code'));
    });

    test('[B15] code_verifier outside 43–128 chars of [A-Za-z0-9-._~] → 400 invalid_grant', async () => {
      for (const verifier of ['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}!`]) {
        const { challenge } = pkce(verifier);
        const r = await exchange(await codeFor(challenge), verifier);
        assert.equal(r.status, 400);
        assert.equal(r.body.error, 'invalid_grant', verifier);
      }
    });

    test('[B16] the token exchange checks S256(code_verifier) == code_challenge (RFC 7636 App. B vector)', async () => {
      const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
      assert.equal(pkce(verifier).challenge, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
      const mismatch = await exchange(await codeFor('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'), pkce().verifier);
      assert.equal(mismatch.body.error, 'invalid_grant');
      const missing = await exchange(await codeFor('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'), undefined);
      assert.equal(missing.body.error, 'invalid_grant');
      const ok = await exchange(await codeFor('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'), verifier);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.token_type, 'Bearer');
    });

    test('[B17] downgrade: a code issued without challenge, redeemed with code_verifier → invalid_grant', async () => {
      const reg = await t.app.inject({
        method: 'POST',
        url: '/oauth/register',
        payload: {
          client_name: 'Agent',
          redirect_uris: ['https://agent.example/cb'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      });
      const { client_id, client_secret } = reg.json() as { client_id: string; client_secret: string };
      const consent = await authorize(t.app, jar, {
        response_type: 'code',
        client_id,
        redirect_uri: 'https://agent.example/cb',
        state: 's',
      });
      assert.equal(consent.res.statusCode, 200);
      assert.match(consent.res.body, /Agent/);
      const csrf = /name="csrf" value="([^"]+)"/.exec(consent.res.body)![1]!;
      const approved = await t.app.inject({
        method: 'POST',
        url: '/oauth/authorize',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
        payload: new URLSearchParams({
          response_type: 'code',
          client_id,
          redirect_uri: 'https://agent.example/cb',
          state: 's',
          csrf,
          decision: 'approve',
        }).toString(),
      });
      const code = new URL(approved.headers.location as string).searchParams.get('code')!;
      const r = await token(t.app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://agent.example/cb',
        client_id,
        client_secret,
        code_verifier: pkce().verifier,
      });
      assert.equal(r.status, 400);
      assert.equal(r.body.error, 'invalid_grant');
    });

    test(
      '[B18] codes are single-use (reuse revokes issued tokens), ' +
        'expire in ≤ 60 s, and are bound to client and redirect_uri',
      async () => {
        const { verifier, challenge } = pkce();
        const code = await codeFor(challenge);
        const first = await exchange(code, verifier);
        assert.equal(first.status, 200);
        assert.equal((await userinfo(t.app, first.body.access_token as string)).statusCode, 200);
        const replay = await exchange(code, verifier);
        assert.equal(replay.body.error, 'invalid_grant');
        assert.equal(
          (await userinfo(t.app, first.body.access_token as string)).statusCode,
          401,
          'access token from the replayed code is revoked',
        );
        const r = await token(t.app, {
          grant_type: 'refresh_token',
          refresh_token: first.body.refresh_token as string,
          client_id: 'mg-web',
        });
        assert.equal(r.body.error, 'invalid_grant', 'refresh token from the replayed code is revoked');

        const p2 = pkce();
        const late = await codeFor(p2.challenge);
        t.advance(61);
        assert.equal((await exchange(late, p2.verifier)).body.error, 'invalid_grant');

        const p3 = pkce();
        const wrongRedirect = await exchange(await codeFor(p3.challenge), p3.verifier, {
          redirect_uri: 'http://localhost:3000/other',
        });
        assert.equal(wrongRedirect.body.error, 'invalid_grant');
        const p4 = pkce();
        const wrongClient = await exchange(await codeFor(p4.challenge), p4.verifier, { client_id: 'mg-cli' });
        assert.equal(wrongClient.body.error, 'invalid_grant');
      },
    );

    test("the web callback is the public URL's only: another loopback name of this machine is refused", async () => {
      // Another local process may listen on [::1] or 127.0.0.1 at our port when we do not; a code sent there is
      // lost. The web app moves to the public URL before it signs in (web-static's canonical loopback redirect).
      for (const host of ['127.0.0.1:3000', '[::1]:3000']) {
        const { challenge } = pkce();
        const { res } = await authorize(
          t.app,
          jar,
          base({
            redirect_uri: `http://${host}/app/callback`,
            code_challenge: challenge,
            code_challenge_method: 'S256',
          }),
        );
        assert.equal(res.statusCode, 400, host);
        assert.equal(res.headers.location, undefined);
      }
    });

    test('[B19] redirect_uri must match exactly (loopback: any port); state is echoed unchanged', async () => {
      const { challenge } = pkce();
      for (const uri of [
        `${WEB_REDIRECT}/x`,
        'http://localhost:3000/app/callback?x=1',
        'https://evil.example/app/callback',
      ]) {
        const { res } = await authorize(
          t.app,
          jar,
          base({ redirect_uri: uri, code_challenge: challenge, code_challenge_method: 'S256' }),
        );
        assert.equal(res.statusCode, 400, uri);
        assert.equal(res.headers.location, undefined, 'never redirect to an unregistered URI');
      }
      // A native client (mg-cli) may name any loopback port; because whatever listens there gets the
      // code, even this first-party client needs the person's consent.
      const loopParams = {
        response_type: 'code',
        client_id: 'mg-cli',
        redirect_uri: 'http://127.0.0.1:54321/callback',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'Zz~9',
      };
      const consent = await authorize(t.app, jar, loopParams);
      assert.equal(consent.res.statusCode, 200);
      const csrf = /name="csrf" value="([^"]+)"/.exec(consent.res.body)![1]!;
      const approved = await t.app.inject({
        method: 'POST',
        url: '/oauth/authorize',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
        payload: new URLSearchParams({ ...loopParams, csrf, decision: 'approve' }).toString(),
      });
      const loop = { location: new URL(String(approved.headers.location)) };
      assert.equal(loop.location!.host, '127.0.0.1:54321');
      assert.equal(loop.location!.searchParams.get('state'), 'Zz~9');
      assert.ok(loop.location!.searchParams.get('code'));
      const otherPath = await authorize(t.app, jar, {
        response_type: 'code',
        client_id: 'mg-cli',
        redirect_uri: 'http://127.0.0.1:54321/elsewhere',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      assert.equal(otherPath.res.statusCode, 400);
    });

    test(
      '[B20] token responses are no-store; ' +
        'errors are {error, error_description}; a bad client → 401 invalid_client',
      async () => {
        const { verifier, challenge } = pkce();
        const ok = await exchange(await codeFor(challenge), verifier);
        assert.equal(ok.res.headers['cache-control'], 'no-store');
        const bad = await exchange('nope', verifier);
        assert.equal(bad.res.headers['cache-control'], 'no-store');
        assert.deepEqual(Object.keys(bad.body).sort(), ['error', 'error_description']);
        const unknown = await token(t.app, { grant_type: 'authorization_code', code: 'x', client_id: 'who' });
        assert.equal(unknown.status, 401);
        assert.equal(unknown.body.error, 'invalid_client');
        const unsupported = await token(t.app, { grant_type: 'password', client_id: 'mg-web' });
        assert.equal(unsupported.body.error, 'unsupported_grant_type');
      },
    );

    test('signed-out visitors are sent to sign in and come back to the same authorization request', async () => {
      const { challenge } = pkce();
      const { res } = await authorize(t.app, '', base({ code_challenge: challenge, code_challenge_method: 'S256' }));
      assert.equal(res.statusCode, 303);
      const back = new URL(res.headers.location as string, 'http://x').searchParams.get('return_to')!;
      assert.match(back, /^\/oauth\/authorize\?/);
      assert.match(back, /code_challenge=/);
      const tokens = await webTokens(t, jar);
      assert.equal(tokens.scope, 'catalog:read watchlist:read watchlist:write devices recommendations');
    });
  });
}
