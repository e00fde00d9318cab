import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { installationId } from '@media-gateway/auth';
import { BUS_CHANNEL } from '@media-gateway/sync';
import { redisUrl } from '@media-gateway/testkit';
import { Redis } from 'ioredis';
import { waitFor } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const redis = redisUrl();

describe('two installations sharing one Redis never hear each other', { skip: redis.skip }, () => {
  let a: TestApp;
  let b: TestApp;
  let listener: Redis;
  const heard: string[] = [];
  before(async () => {
    a = await createTestApp({ sample: true, env: { REDIS_URL: redis.url! } });
    b = await createTestApp({ sample: true, env: { REDIS_URL: redis.url! } });
    listener = new Redis(redis.url!);
    listener.on('pmessage', (_pattern, channel) => heard.push(channel));
    await listener.psubscribe(`${BUS_CHANNEL}*`);
  });
  after(async () => {
    await listener.quit();
    await a.close();
    await b.close();
  });

  test("each publishes its sync traffic on its own channel, named by its database's installation id", async () => {
    const [idA, idB] = [await installationId(a.ctx.db), await installationId(b.ctx.db)];
    assert.notEqual(idA, idB);
    await a.ctx.services.sync();
    await b.ctx.services.sync();
    const { rows } = await a.ctx.db.query<{ id: string }>('SELECT id FROM titles ORDER BY id LIMIT 1');
    const token = await a.token('shared-redis-user', ['watchlist:read', 'watchlist:write']);
    const res = await a.app.inject({
      method: 'POST',
      url: '/api/watchlist',
      headers: { authorization: `Bearer ${token}` },
      payload: { titleId: rows[0]!.id },
    });
    assert.ok(res.statusCode < 300, res.body);
    await waitFor(() => heard.length > 0, 'the watchlist change on the bus');
    assert.ok(
      heard.every((c) => c === `${BUS_CHANNEL}:${idA}`),
      `heard on ${heard.join(', ')}`,
    );
  });
});
