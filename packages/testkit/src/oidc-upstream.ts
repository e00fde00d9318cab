import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// oidc-provider ships no type declarations (and @types/oidc-provider is not installed); the few
// members used here are typed by hand below.
// @ts-expect-error TS7016
import ProviderImpl from 'oidc-provider';

type Account = { sub: string; email?: string; name?: string };
interface ProviderLike {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{
    prompt: { name: string; details: unknown };
    params: Record<string, unknown>;
    session?: { accountId: string };
  }>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: unknown,
    options: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: new (init: {
    accountId: string;
    clientId: string;
  }) => { addOIDCScope(s: string): void; addOIDCClaims(c: string[]): void; save(): Promise<string> };
}
const Provider = ProviderImpl as unknown as new (issuer: string, config: Record<string, unknown>) => ProviderLike;

/**
 * A real OpenID Connect provider (oidc-provider) on loopback, as the upstream identity provider in
 * auth tests. Its sign-in and consent screens are replaced by a scripted person: the next
 * interaction signs in as `signInAs(...)` and grants what was asked, so a test can drive the whole
 * code + PKCE + nonce flow over HTTP like a browser.
 */
export interface OidcUpstream {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who the next sign-in at the provider is. */
  signInAs(account: { sub: string; email?: string; name?: string }): void;
  /** Follows redirects like a browser while they stay on the provider; returns the first URL that leaves it. */
  browse(url: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startOidcUpstream(options: { redirectUris: string[] }): Promise<OidcUpstream> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, Account>();
  let next: Account = { sub: 'upstream-user-1', email: 'one@upstream.test', name: 'Upstream One' };
  const clientId = 'media-gateway-test';
  const clientSecret = 'upstream-test-secret-0123456789';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['testkit-oidc-upstream-cookie-key'] },
    findAccount: async (_ctx: unknown, id: string) => {
      const a: Account = accounts.get(id) ?? { sub: id };
      return {
        accountId: id,
        claims: async () => ({
          sub: a.sub,
          ...(a.email ? { email: a.email, email_verified: true } : {}),
          ...(a.name ? { name: a.name } : {}),
        }),
      };
    },
  });
  const callback = provider.callback();
  handler = (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        accounts.set(next.sub, next);
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: next.sub } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const grant = new provider.Grant({
        accountId: details.session!.accountId,
        clientId: String(details.params['client_id']),
      });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    })().catch((error: Error) => {
      res.statusCode = 500;
      res.end(error.message);
    });
  };

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(account) {
      next = account;
    },
    async browse(start) {
      const jar = new Map<string, string>();
      let url = new URL(start);
      for (let hops = 0; hops < 20; hops++) {
        if (url.origin !== issuer) return url;
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const i = pair!.indexOf('=');
          jar.set(pair!.slice(0, i), pair!.slice(i + 1));
        }
        const location = res.headers.get('location');
        if (!location)
          throw new Error(
            `upstream stopped at ${url.href} with HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`,
          );
        url = new URL(location, url);
      }
      throw new Error('too many redirects at the upstream provider');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
