import type { Db } from '@media-gateway/db';
import { DomainError } from '@media-gateway/domain';
import * as oidc from 'openid-client';
import type { Clock } from './clock.ts';

export interface UpstreamOidcOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** Our callback, registered at the provider: `${publicUrl}/auth/oidc/callback`. */
  redirectUri: string;
  /** Plain-http issuers are refused unless this is set (loopback test providers, local dev). */
  allowHttp?: boolean;
}

/** Login states expire after 10 minutes: the person has that long to finish at the provider. */
const STATE_TTL_MS = 10 * 60 * 1000;

/**
 * Sign-in through any OpenID Connect provider found by discovery: authorization code with PKCE
 * (S256), a nonce bound into the ID token, and a state that we keep server-side.
 */
export function createUpstreamOidc(db: Db, clock: Clock, options: UpstreamOidcOptions) {
  let config: Promise<oidc.Configuration> | undefined;
  const discover = () => {
    config ??= oidc
      .discovery(
        new URL(options.issuer),
        options.clientId,
        options.clientSecret,
        undefined,
        options.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        config = undefined; // try discovery again on the next sign-in
        throw new DomainError(
          'UPSTREAM_UNAVAILABLE',
          `The sign-in provider at ${options.issuer} cannot be reached: ${(error as Error).message}`,
          { source: options.issuer },
          error,
        );
      });
    return config;
  };

  return {
    issuer: options.issuer,

    async start(input: { returnTo: string; linkUserId?: string | undefined }): Promise<string> {
      const cfg = await discover();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      await db.query('DELETE FROM oidc_login_states WHERE expires_at < $1', [new Date(clock.now())]);
      await db.query(
        'INSERT INTO oidc_login_states (state, code_verifier, nonce, return_to, link_user_id, expires_at) ' +
          'VALUES ($1, $2, $3, $4, $5, $6)',
        [state, verifier, nonce, input.returnTo, input.linkUserId ?? null, new Date(clock.now() + STATE_TTL_MS)],
      );
      return oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: options.redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      }).href;
    },

    /** Validates the callback (state, PKCE, nonce, ID token) and returns who signed in. */
    async finish(callbackUrl: URL): Promise<{
      subject: string;
      email?: string | undefined;
      name?: string | undefined;
      returnTo: string;
      linkUserId: string | null;
    }> {
      const state = callbackUrl.searchParams.get('state');
      if (!state) throw new DomainError('INVALID_INPUT', 'The sign-in callback has no state.');
      const row = (
        await db.query<{
          code_verifier: string;
          nonce: string;
          return_to: string;
          link_user_id: string | null;
          expires_at: Date;
        }>(
          'DELETE FROM oidc_login_states WHERE state = $1 ' +
            'RETURNING code_verifier, nonce, return_to, link_user_id, expires_at',
          [state],
        )
      ).rows[0];
      if (!row || row.expires_at.getTime() <= clock.now())
        throw new DomainError('INVALID_INPUT', 'This sign-in attempt is unknown or expired; start again.');
      const upstreamError = callbackUrl.searchParams.get('error');
      if (upstreamError) throw new DomainError('UNAUTHENTICATED', `The sign-in provider refused: ${upstreamError}.`);
      const cfg = await discover();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: row.code_verifier,
          expectedState: state,
          expectedNonce: row.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw new DomainError(
          'UNAUTHENTICATED',
          `Sign-in with the provider failed: ${(error as Error).message}`,
          undefined,
          error,
        );
      }
      const claims = tokens.claims();
      if (!claims?.sub) throw new DomainError('UNAUTHENTICATED', 'The provider returned no subject.');
      // Providers that conform strictly put profile claims only in UserInfo, not in the ID token.
      let profile: Record<string, unknown> = claims;
      if (claims['email'] === undefined && claims['name'] === undefined && cfg.serverMetadata().userinfo_endpoint) {
        profile = await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub).catch(() => claims);
      }
      const email =
        typeof profile['email'] === 'string' && profile['email_verified'] !== false ? profile['email'] : undefined;
      const name = typeof profile['name'] === 'string' ? profile['name'] : undefined;
      return { subject: claims.sub, email, name, returnTo: row.return_to, linkUserId: row.link_user_id };
    },
  };
}

export type UpstreamOidc = ReturnType<typeof createUpstreamOidc>;
