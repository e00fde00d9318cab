import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { memoryStorage, SyncClient, type WebSocketCtor } from '@media-gateway/sync';
import { WebSocket } from 'ws';
import { listen } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

describe('device types: one vocabulary for sync, recommendations and MCP', () => {
  let t: TestApp;
  let ws: string;
  before(async () => {
    t = await createTestApp({ sample: true });
    ws = (await listen(t)).ws;
  });
  after(() => t.close());

  const open = async (deviceId: string, type: string) => {
    const token = await t.token('typed-user', ['watchlist:read', 'watchlist:write', 'devices', 'recommendations']);
    const client = await SyncClient.open({
      url: ws,
      token,
      deviceId,
      storage: memoryStorage(),
      WebSocket: WebSocket as unknown as WebSocketCtor,
      device: { name: deviceId, type: type as never, capabilities: [] },
    });
    client.connect();
    return { client, token };
  };

  test('a phone may register as "mobile" (the recommender\'s word) and is listed as a phone', async () => {
    const { client, token } = await open('pocket', 'mobile');
    await client.whenSynced();
    const devices = await t.app.inject({ url: '/api/devices', headers: { authorization: `Bearer ${token}` } });
    const pocket = (devices.json() as { devices: Array<{ id: string; type: string }> }).devices.find(
      (d) => d.id === 'pocket',
    );
    assert.equal(pocket?.type, 'phone');
    await client.close();
    // …and the recommendations take the registry's words too.
    const recs = await t.app.inject({
      url: '/api/recommendations?device=phone&limit=3',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(recs.statusCode, 200, recs.body);
  });

  test('a hello the server cannot read ends with a rejected whenSynced, not a wait forever', async () => {
    const { client } = await open('toaster', 'toaster');
    await assert.rejects(client.whenSynced(), /sync refused \(4400\)/);
    await client.close();
  });
});
