import type { BackendName } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from '../test/test-app.ts';

const USER_SCOPES = ['catalog:read', 'watchlist:read', 'watchlist:write', 'devices', 'recommendations'] as const;

/** A gateway on the sample catalog with a person's and an administrator's tokens, for the fuzzer. */
export async function fuzzTarget(backend: BackendName): Promise<{
  t: TestApp;
  tokens: { user: string; admin: string };
  titleIds: string[];
}> {
  const t = await createTestApp({ backend, sample: true });
  const tokens = {
    user: await t.token('fuzz-user', [...USER_SCOPES]),
    admin: await t.token('fuzz-admin', [...USER_SCOPES, 'admin']),
  };
  const { rows } = await t.ctx.db.query<{ id: string }>('SELECT id FROM titles ORDER BY id LIMIT 20');
  return { t, tokens, titleIds: rows.map((r) => r.id) };
}
