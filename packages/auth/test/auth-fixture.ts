import type { Db } from '@media-gateway/db';
import { type ManualClock, manualClock } from '@media-gateway/domain';
import { freshDb } from '@media-gateway/testkit';
import { type AuthServer, createAuthServer } from '../src/auth-server.ts';
import type { GrantEvent, GrantLifetimes } from '../src/grant-service.ts';
import { createTokenService } from '../src/token-service.ts';

export const ISSUER = 'https://gateway.test';

export interface AuthFixture {
  db: Db;
  auth: AuthServer;
  clock: ManualClock;
  events: GrantEvent[];
  close(): Promise<void>;
}

/** The auth server as the gateway composes it, on a fresh PGlite, with time on a manual clock. */
export async function authFixture(lifetimes: Partial<GrantLifetimes> = {}): Promise<AuthFixture> {
  const db = await freshDb('pglite');
  const clock = manualClock(Date.now());
  const tokens = await createTokenService(db, { issuer: ISSUER });
  const auth = await createAuthServer(db, tokens, {
    issuer: ISSUER,
    localAccounts: true,
    clock,
    lifetimes,
    revocationRefreshMs: 0,
  });
  const events: GrantEvent[] = [];
  auth.onGrantEvent((e) => events.push(e));
  return {
    db,
    auth,
    clock,
    events,
    async close() {
      await auth.close();
      await db.close();
    },
  };
}

/** Rejects with an OAuthError of this code (and, optionally, a description matching `pattern`). */
export function oauthError(code: string, pattern?: RegExp) {
  return (e: unknown) => {
    const err = e as { error?: string; description?: string };
    if (err.error !== code) throw new Error(`expected OAuth error ${code}, got ${err.error ?? String(e)}`);
    if (pattern && !pattern.test(err.description ?? ''))
      throw new Error(`"${err.description}" does not match ${pattern}`);
    return true;
  };
}
