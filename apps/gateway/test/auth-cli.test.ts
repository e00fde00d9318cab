import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { deviceLogin, freshAccessToken, logout } from '../../cli/src/auth/oauth-client.ts';
import { loadTokens, saveTokens, tokenFile } from '../../cli/src/auth/token-store.ts';
import { type AuthTestApp, createAuthTestApp, decideDevice, newUser, userinfo } from './auth-helpers.ts';

// `media-gateway login/whoami/logout` against a listening gateway
// (PGlite; the server side is covered per backend elsewhere).
describe('CLI device login', () => {
  let t: AuthTestApp;
  let url: string;
  let dir: string;
  before(async () => {
    t = await createAuthTestApp('pglite');
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    dir = await mkdtemp(join(tmpdir(), 'mg-cli-auth-'));
    process.env['MG_CONFIG_DIR'] = dir;
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
    delete process.env['MG_CONFIG_DIR'];
  });

  test('[B5] login polls at the interval, adds 5 s after slow_down, and stores tokens with mode 0600', async () => {
    const person = await newUser(t);
    let userCode = '';
    const sleeps: number[] = [];
    const tokens = await deviceLogin({
      url,
      scope: 'catalog:read watchlist:read',
      show: (i) => {
        userCode = i.userCode;
        assert.equal(i.verificationUri, 'http://localhost:3000/device');
      },
      // Instead of waiting, move the server's clock. The second wait is cut short (as if the
      // machine's clock jumped), so the server answers slow_down and the CLI must back off by 5 s.
      sleep: async (ms) => {
        sleeps.push(ms);
        t.advance(sleeps.length === 2 ? 1 : ms / 1000);
        if (sleeps.length === 3)
          assert.equal((await decideDevice(t.app, person.jar, userCode, 'approve')).statusCode, 200);
      },
    });
    assert.deepEqual(sleeps, [5000, 5000, 10000]);
    assert.equal(tokens.scope, 'catalog:read watchlist:read');
    assert.equal(((await stat(tokenFile())).mode & 0o777).toString(8), '600');
    assert.equal((await userinfo(t.app, tokens.accessToken)).json().id, person.user.id);
  });

  test('stored tokens are refreshed when near expiry, and whoami/logout work from the command line', async () => {
    const stored = (await loadTokens(url))!;
    await saveTokens(url, { ...stored, expiresAt: Date.now() + 10_000 });
    const fresh = await freshAccessToken(url);
    assert.ok(fresh && fresh !== stored.accessToken);
    assert.notEqual((await loadTokens(url))!.refreshToken, stored.refreshToken, 'refresh token rotated and saved');

    const cli = join(import.meta.dirname, '../../cli/bin/media-gateway.js');
    const run = promisify(execFile);
    const who = await run(process.execPath, [cli, 'whoami', '--url', url, '--json'], {
      env: { ...process.env, MG_CONFIG_DIR: dir },
    });
    const me = JSON.parse(who.stdout);
    assert.deepEqual(me.scopes, ['catalog:read', 'watchlist:read']);
    assert.equal(me.clientId, 'mg-cli');
    // For curl: the same signed-in token, and an admin route names the scope to sign in with.
    const printed = await run(process.execPath, [cli, 'whoami', '--url', url, '--token'], {
      env: { ...process.env, MG_CONFIG_DIR: dir },
    });
    const token = printed.stdout.trim();
    assert.equal((await userinfo(t.app, token)).statusCode, 200);
    const admin = await run(process.execPath, [cli, 'resolution', 'ls', '--url', url], {
      env: { ...process.env, MG_CONFIG_DIR: dir },
    }).catch((e: { code: number; stderr: string }) => e);
    assert.notEqual((admin as { code: number }).code, 0);
    assert.match(
      (admin as { stderr: string }).stderr,
      /lacks the "admin" scope\. Sign in again asking for it: media-gateway login --scope "[^"]* admin"/,
    );

    const refreshToken = (await loadTokens(url))!.refreshToken;
    assert.equal(await logout(url), true);
    assert.equal(await loadTokens(url), undefined);
    const r = await t.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=refresh_token&client_id=mg-cli&refresh_token=${refreshToken}`,
    });
    assert.equal(r.json().error, 'invalid_grant', 'logout revoked the family on the server');
    const anon = await run(process.execPath, [cli, 'whoami', '--url', url], {
      env: { ...process.env, MG_CONFIG_DIR: dir, MG_TOKEN: '' },
    }).catch((e: { code: number; stderr: string }) => e);
    assert.equal((anon as { code: number }).code, 4);
    assert.match((anon as { stderr: string }).stderr, /Not signed in/);
  });
});
