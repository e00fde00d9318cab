import type { Scope } from '@media-gateway/auth';
import { updateUserSettings } from '@media-gateway/catalog';
import { addHomeFixtures } from '../../gateway/test/home-fixtures.ts';
import type { WebGateway } from './web-harness.ts';

export const PERSON = { email: 'rows@example.com', password: 'rows-password-123' };
const SCOPES: Scope[] = ['catalog:read', 'watchlist:read', 'watchlist:write', 'devices', 'recommendations'];

export interface SeededPerson {
  userId: string;
  /** A bearer token for REST calls on the person's behalf (as mg-web). */
  token: string;
  titleId(title: string): string;
}

/**
 * A person on Netflix in the US with something in every row: progress on a title, a watchlist,
 * likes, plus dated offers (fixtures) and popularity figures for two sample titles.
 */
export async function seedPerson(gw: WebGateway): Promise<SeededPerson> {
  const db = gw.ctx.db;
  await addHomeFixtures(db, gw.ctx.clock.now());
  await db.query(`UPDATE titles SET popularity = 6.1 WHERE title = 'Stranger Things'`);
  await db.query(`UPDATE titles SET popularity = 5.2 WHERE title = 'Squid Game'`);
  const user = await gw.auth.users.createLocalUser({ ...PERSON, displayName: 'Rowan Rows' });
  await updateUserSettings(db, user.id, { region: 'US', services: ['netflix'] });
  const { token } = await gw.ctx.tokens.issueAccessToken({ userId: user.id, clientId: 'mg-web', scopes: SCOPES });
  const { rows } = await db.query<{ id: string; title: string }>('SELECT id, title FROM titles');
  const ids = new Map(rows.map((r) => [r.title, r.id]));
  const titleId = (title: string) => {
    const id = ids.get(title);
    if (!id) throw new Error(`no title ${title}`);
    return id;
  };
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  await call('PUT', `/api/progress/${titleId('Stranger Things')}`, { positionSeconds: 1500, durationSeconds: 3000 });
  await call('POST', '/api/watchlist', { titleId: titleId('The Quiet Orchard') });
  const horror = await db.query<{ id: string }>(
    `SELECT DISTINCT t.id FROM titles t JOIN offers o ON o.title_id = t.id
     WHERE 'horror' = ANY(t.genres) AND o.platform = 'netflix' AND o.region = 'US' ORDER BY t.id LIMIT 3`,
  );
  await call('POST', '/api/events', {
    events: horror.rows.map((r, i) => ({ id: `seed-like-${i}`, type: 'like', titleId: r.id })),
  });
  return { userId: user.id, token, titleId };
}
