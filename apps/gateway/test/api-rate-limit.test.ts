import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { redisUrl } from '@media-gateway/testkit';
import { Redis } from 'ioredis';
import { createTestApp, type TestApp } from './test-app.ts';

const limits = { MG_API_RATE_LIMIT: '5', MG_API_RATE_LIMIT_ANONYMOUS: '3' };

describe('API rate limits: per user with a token, per address without', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: limits });
  });
  after(() => t.close());

  test('an address gets 3 anonymous requests a minute, then 429 problem+json, Retry-After, RateLimit', async () => {
    const get = () => t.app.inject({ url: '/api/platforms', remoteAddress: '198.51.100.1' });
    for (let i = 0; i < 3; i++) assert.equal((await get()).statusCode, 200);
    const refused = await get();
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(refused.json().code, 'RATE_LIMITED');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal(refused.headers['ratelimit-limit'], '3');
    assert.equal(refused.headers['ratelimit-remaining'], '0');
    // Another address, and pages outside /api and /mcp, are not affected.
    assert.equal((await t.app.inject({ url: '/api/platforms', remoteAddress: '198.51.100.2' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/healthz', remoteAddress: '198.51.100.1' })).statusCode, 200);
  });

  test('the same budget however the path is spelled: percent-encoded letters are the same route', async () => {
    const get = (url: string) => t.app.inject({ url, remoteAddress: '198.51.100.7' });
    for (let i = 0; i < 3; i++) assert.equal((await get('/api/platforms')).statusCode, 200);
    for (const url of ['/%61pi/platforms', '/api/%70latforms', '/%6dcp', '/api/no-such-route']) {
      const res = await get(url);
      assert.equal(res.statusCode, 429, `${url}: ${res.statusCode}`);
    }
  });

  test('a signed-in person has their own budget wherever they connect from; others are unaffected', async () => {
    const alice = await t.token('alice', ['recommendations']);
    const bob = await t.token('bob', ['recommendations']);
    const get = (token: string, ip: string) =>
      t.app.inject({ url: '/api/platforms', remoteAddress: ip, headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 5; i++) assert.equal((await get(alice, `203.0.113.${i}`)).statusCode, 200);
    assert.equal((await get(alice, '203.0.113.99')).statusCode, 429, 'changing address does not reset it');
    assert.equal((await get(bob, '203.0.113.0')).statusCode, 200);
  });

  test('X-Forwarded-For is ignored unless the peer is a trusted proxy', async () => {
    const get = (xff: string) =>
      t.app.inject({ url: '/api/platforms', remoteAddress: '192.0.2.50', headers: { 'x-forwarded-for': xff } });
    for (let i = 0; i < 3; i++) assert.equal((await get(`198.18.0.${i}`)).statusCode, 200);
    assert.equal((await get('198.18.0.200')).statusCode, 429, 'spoofed addresses share the peer’s budget');
  });
});

describe("MCP tool calls spend their caller's budget, not one shared by every agent", () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { MG_API_RATE_LIMIT: '100', MG_API_RATE_LIMIT_ANONYMOUS: '6' } });
  });
  after(() => t.close());

  /** An anonymous MCP client at `address`, speaking JSON-RPC over POST /mcp. */
  const client = (address: string) => {
    let session: string | undefined;
    let id = 0;
    const post = async (body: Record<string, unknown>) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/mcp',
        remoteAddress: address,
        headers: {
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
          ...(session ? { 'mcp-session-id': session } : {}),
        },
        payload: JSON.stringify({ jsonrpc: '2.0', ...body }),
      });
      session ??= res.headers['mcp-session-id'] as string | undefined;
      return res;
    };
    return {
      async open() {
        const params = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } };
        await post({ id: ++id, method: 'initialize', params });
        await post({ method: 'notifications/initialized' });
      },
      /** The tool's answer text (a title that does not exist: NOT_FOUND, unless the budget ran out first). */
      async details(): Promise<string> {
        const res = await post({
          id: ++id,
          method: 'tools/call',
          params: { name: 'get_content_details', arguments: { title_id: 'mg_aaaaaaaaaaaa' } },
        });
        return res.statusCode === 429 ? 'HTTP 429' : JSON.stringify(res.json().result?.content ?? res.json());
      },
    };
  };

  test("two busy agents on other addresses do not use up a third one's calls", async () => {
    for (const address of ['198.51.100.21', '198.51.100.22']) {
      const busy = client(address);
      await busy.open();
      for (let i = 0; i < 4; i++) await busy.details();
    }
    const fresh = client('198.51.100.23');
    await fresh.open();
    const answer = await fresh.details();
    assert.match(answer, /NOT_FOUND/, answer);
    assert.doesNotMatch(answer, /Too many requests/);
  });
});

describe('behind a trusted proxy each client has its own budget', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { ...limits, MG_TRUSTED_PROXIES: '192.0.2.0/24' } });
  });
  after(() => t.close());

  test('clients named by the proxy are limited separately', async () => {
    const get = (client: string) =>
      t.app.inject({ url: '/api/platforms', remoteAddress: '192.0.2.10', headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < 3; i++) assert.equal((await get('198.18.1.1')).statusCode, 200);
    assert.equal((await get('198.18.1.1')).statusCode, 429);
    assert.equal((await get('198.18.1.2')).statusCode, 200);
  });
});

const redis = redisUrl();
describe('with Redis, two replicas spend one budget', { skip: redis.skip }, () => {
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    const env = { ...limits, REDIS_URL: redis.url! };
    a = await createTestApp({ env });
    b = await createTestApp({ env });
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  test('3 requests across A and B, then the 4th on either is refused', async () => {
    const ip = `198.51.100.${100 + Math.floor(Math.random() * 100)}`;
    const get = (t: TestApp) => t.app.inject({ url: '/api/platforms', remoteAddress: ip });
    assert.equal((await get(a)).statusCode, 200);
    assert.equal((await get(b)).statusCode, 200);
    assert.equal((await get(a)).statusCode, 200);
    assert.equal((await get(b)).statusCode, 429);
    // The counters name no address: the key is a hash of it.
    const client = new Redis(redis.url!);
    try {
      const keys = await client.keys('mg:api-rl:*');
      assert.ok(keys.length > 0);
      assert.ok(!keys.some((k) => k.includes(ip)), keys.join(', '));
    } finally {
      await client.quit();
    }
  });
});
