import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { type AuthTestApp, createAuthTestApp, newUser } from './auth-helpers.ts';

/**
 * A port held open until `release`: the app's public URL must name its port before the app exists, and a port
 * freed at once could be taken by a parallel test while the app starts (EADDRINUSE, seen once in CI).
 */
async function reservePort(): Promise<{ port: number; release: () => Promise<void> }> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  return { port, release: () => new Promise<void>((r) => srv.close(() => r())) };
}

/** An MCP client's OAuth state, as a desktop agent would keep it; the "browser" step is driven by the test. */
class TestProvider implements OAuthClientProvider {
  info: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authUrl: URL | undefined;
  readonly redirectUrl = 'http://127.0.0.1:8976/callback';
  get clientMetadata() {
    return {
      client_name: 'Test agent',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}

describe('an MCP client signs in via our authorization server (RFC 9728 discovery, dynamic registration, PKCE)', () => {
  let t: AuthTestApp;
  let base: string;
  before(async () => {
    const { port, release } = await reservePort();
    base = `http://127.0.0.1:${port}`;
    t = await createAuthTestApp('pglite', { MG_PUBLIC_URL: base });
    await release();
    await t.app.listen({ port, host: '127.0.0.1' });
  });
  after(() => t.close());

  test('401 → discovery → registration → consent → token → the user tool works', async () => {
    const person = await newUser(t);
    const provider = new TestProvider();
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), { authProvider: provider });
    const client = new Client({ name: 'agent', version: '1' });
    await client.connect(transport); // anonymous: initialise needs no token
    await assert.rejects(client.callTool({ name: 'list_user_watchlist', arguments: {} }), /Unauthorized/i);
    assert.ok(provider.info?.client_id, 'the client registered itself dynamically');
    assert.ok(provider.authUrl, 'and was sent to our authorization endpoint');
    assert.equal(provider.authUrl.origin + provider.authUrl.pathname, `${base}/oauth/authorize`);
    assert.equal(provider.authUrl.searchParams.get('code_challenge_method'), 'S256');

    // The person approves in the browser (signed-in session cookie), as in the auth tests.
    const consent = await t.app.inject({
      url: `${provider.authUrl.pathname}${provider.authUrl.search}`,
      headers: { cookie: person.jar },
    });
    assert.equal(consent.statusCode, 200, consent.body.slice(0, 300));
    const csrf = /name="csrf" value="([^"]+)"/.exec(consent.body)![1]!;
    const fields = Object.fromEntries(provider.authUrl.searchParams);
    const approved = await t.app.inject({
      method: 'POST',
      url: '/oauth/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: person.jar },
      payload: new URLSearchParams({ ...fields, csrf, decision: 'approve' }).toString(),
    });
    const code = new URL(approved.headers.location as string).searchParams.get('code');
    assert.ok(code, `approval redirects with a code: ${approved.statusCode} ${approved.headers.location}`);
    await transport.finishAuth(code);
    assert.ok(provider.saved?.access_token);

    const result = await client.callTool({ name: 'list_user_watchlist', arguments: {} });
    assert.ok(!result.isError, JSON.stringify(result.content));
    assert.deepEqual((result.structuredContent as { items: unknown[] }).items, []);
    await client.close();
  });
});
