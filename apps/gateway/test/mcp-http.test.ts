import { SAMPLE_AS_OF } from '@media-gateway/catalog';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { testBackends } from '@media-gateway/testkit';
import { call, errorText, httpClient, ok } from './mcp-helpers.ts';
import { device, sampleTitleIds, waitFor } from './sync-helpers.ts';
import { agentToken } from './auth-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const USER_SCOPES = ['watchlist:read', 'watchlist:write', 'devices', 'recommendations'] as const;

/** Raw HTTP so the Host header is really sent (fetch drops a custom Host). */
function rawPost(
  base: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL('/mcp', base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        let data = '';
        res.on('data', (c) => {
          data += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

for (const backend of testBackends()) {
  describe(`MCP over Streamable HTTP (${backend})`, () => {
    let t: TestApp;
    let base: string;
    let titleId: string;
    let anon: Client;
    before(async () => {
      t = await createTestApp({ backend, sample: true });
      base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      [titleId] = (await sampleTitleIds(t, 1)) as [string];
      anon = (await httpClient(base)).client;
    });
    after(async () => {
      await anon.close();
      await t.close();
    });

    test('lists the ten tools with strict input schemas, output schemas and annotations', async () => {
      const { tools } = await anon.listTools();
      assert.deepEqual(tools.map((x) => x.name).sort(), [
        'add_to_watchlist',
        'check_availability',
        'get_content_details',
        'get_recommendations',
        'get_streaming_links',
        'list_user_devices',
        'list_user_watchlist',
        'remove_from_watchlist',
        'semantic_search',
        'send_to_device',
      ]);
      for (const tool of tools) {
        assert.equal(tool.inputSchema.additionalProperties, false, `${tool.name} refuses unknown arguments`);
        assert.ok(tool.outputSchema, `${tool.name} declares its output`);
        assert.equal(typeof tool.annotations?.readOnlyHint, 'boolean', `${tool.name} says whether it only reads`);
        assert.ok(
          !Object.keys(tool.inputSchema.properties ?? {}).some((k) => /user/i.test(k)),
          `${tool.name} takes no user argument`,
        );
      }
    });

    test('catalog tools work without a token, with a region, and match the REST answer', async () => {
      const rest = (await t.app.inject({ url: `/api/titles/${titleId}` })).json() as {
        title: string;
        offers: Record<
          string,
          Record<
            string,
            Array<{
              platform: string;
              platformName: string;
              monetization: string;
              price: number | null;
              url: string;
              urlKind: string;
              age: string;
            }>
          >
        >;
      };
      const region = Object.keys(rest.offers)[0]!;
      const details = ok<{
        id: string;
        title: string;
        watchIn: Record<string, string[]>;
        watchInAge: Record<string, Array<{ platform: string; age: string; stale?: boolean }>>;
      }>(await call(anon, 'get_content_details', { title_id: titleId }));
      assert.equal(details.id, titleId);
      assert.equal(details.title, rest.title);
      assert.deepEqual(Object.keys(details.watchIn).sort(), Object.keys(rest.offers).sort());
      // Every platform comes with how old the fact is, as REST says it.
      const restAges = Object.values(rest.offers[region]!)
        .flat()
        .map((o) => `${o.platformName} ${o.age}`);
      for (const w of details.watchInAge[region]!) assert.ok(restAges.includes(`${w.platform} ${w.age}`), w.platform);
      assert.match(details.watchInAge[region]![0]!.age, /as of 2025-06-01|seen/);
      assert.deepEqual(
        details.watchIn[region],
        details.watchInAge[region]!.map((w) => w.platform),
        'watchIn keeps its shape: names',
      );

      const restOffers = Object.values(rest.offers[region]!).flat();
      const avail = ok<{
        region: string;
        offers: Array<{ platform: string; monetization: string; price?: number }>;
        sampleData?: { asOf: string };
      }>(await call(anon, 'check_availability', { title_id: titleId, region: region.toLowerCase() }));
      assert.equal(avail.region, region);
      assert.equal(avail.sampleData?.asOf, SAMPLE_AS_OF, 'sample availability says so');
      assert.deepEqual(
        avail.offers.map((o) => `${o.platform}/${o.monetization}/${o.price ?? ''}`).sort(),
        restOffers.map((o) => `${o.platform}/${o.monetization}/${o.price ?? ''}`).sort(),
      );
      const only = restOffers[0]!.monetization;
      const filtered = ok<{ offers: Array<{ monetization: string }> }>(
        await call(anon, 'check_availability', { title_id: titleId, region, monetization: [only] }),
      );
      assert.ok(filtered.offers.length > 0 && filtered.offers.every((o) => o.monetization === only));

      const links = ok<{ links: Array<{ url: string; kind: string; age: string }> }>(
        await call(anon, 'get_streaming_links', { title_id: titleId, region }),
      );
      assert.deepEqual(
        new Set(links.links.map((l) => `${l.url} ${l.kind} ${l.age}`)),
        new Set(restOffers.map((o) => `${o.url} ${o.urlKind} ${o.age}`)),
      );
    });

    test('bad input and unknown titles come back as tool errors with the REST problem code', async () => {
      assert.match(
        errorText(await call(anon, 'check_availability', { title_id: titleId })),
        /^INVALID_INPUT: Pass a region/,
      );
      assert.match(errorText(await call(anon, 'get_content_details', { title_id: 'mg_aaaaaaaaaaaa' })), /^NOT_FOUND:/);
      assert.match(errorText(await call(anon, 'get_content_details', { title_id: 'nope' })), /Input validation error/);
      // A user id is never honoured: strict inputs refuse it outright.
      assert.match(
        errorText(await call(anon, 'get_content_details', { title_id: titleId, user_id: 'someone-else' })),
        /user_id|Unrecognized/i,
      );
    });

    test('the title resource is the Markdown machine view; the prompt names the tools', async () => {
      const { contents } = await anon.readResource({ uri: `mg://titles/${titleId}` });
      const view = (await t.app.inject({ url: `/title/${titleId}.llm.md` })).body;
      assert.equal(contents[0]?.mimeType, 'text/markdown');
      assert.equal((contents[0] as { text: string }).text, view);
      const prompt = await anon.getPrompt({ name: 'what_to_watch', arguments: { mood: 'funny' } });
      assert.match(JSON.stringify(prompt.messages), /get_recommendations.*send_to_device/);
    });

    test('semantic_search finds a title by its name, anonymously', async () => {
      const rest = (await t.app.inject({ url: `/api/titles/${titleId}` })).json() as { title: string };
      const found = ok<{
        results: Array<{ id: string; why?: string; on: string[]; seen?: string; stale?: boolean }>;
        sampleData?: { asOf: string };
      }>(await call(anon, 'semantic_search', { query: rest.title, region: 'US', limit: 10 }));
      assert.equal(found.sampleData?.asOf, SAMPLE_AS_OF, 'sample availability is marked as sample, with its date');
      // Each hit says when its services were seen there, so an agent can say how sure "on Netflix" is.
      for (const r of found.results.filter((h) => h.on.length > 0)) {
        assert.equal(r.seen, `as of ${SAMPLE_AS_OF}`, r.id);
        assert.equal(r.stale, true, r.id);
      }
      assert.ok(
        found.results.some((r) => r.id === titleId),
        `search for "${rest.title}" finds ${titleId}`,
      );
    });

    test('semantic_search hits carry their rating, within the age asked for', async () => {
      const query = 'movies for a 7 year old';
      const found = ok<{ results: Array<{ id: string; rating?: string }> }>(
        await call(anon, 'semantic_search', { query, region: 'US' }),
      );
      const rest = (
        await t.app.inject({ method: 'POST', url: '/api/search', payload: { query, region: 'US' } })
      ).json() as { results: Array<{ id: string; maturity: { label: string; minAge: number | null } | null }> };
      assert.ok(found.results.length > 0);
      for (const r of found.results) {
        const maturity = rest.results.find((h) => h.id === r.id)?.maturity;
        assert.ok(maturity && (maturity.minAge ?? 99) <= 7, r.id);
        assert.equal(r.rating, maturity.label, r.id);
      }
    });

    test('semantic_search names the titles that meet a search but are not streaming in the region', async () => {
      const away = ok<{ results: unknown[]; notStreaming?: { region: string; asOf: string | null; count: number } }>(
        await call(anon, 'semantic_search', { query: 'films by christopher nolan', region: 'US' }),
      );
      assert.equal(away.results.length, 0);
      assert.deepEqual(
        { ...away.notStreaming, titles: undefined },
        { region: 'US', asOf: SAMPLE_AS_OF, count: 4, titles: undefined },
      );
    });

    test('user tools without a token: HTTP 401 with WWW-Authenticate pointing at the resource metadata', async () => {
      await assert.rejects(call(anon, 'list_user_watchlist'), /401/);
      const init = await rawPost(base, {}, INIT);
      const session = String(init.headers['mcp-session-id']);
      const res = await rawPost(
        base,
        { 'mcp-session-id': session, 'mcp-protocol-version': '2025-06-18' },
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'add_to_watchlist', arguments: { title_id: titleId } },
        },
      );
      assert.equal(res.status, 401);
      const www = String(res.headers['www-authenticate']);
      assert.match(www, /^Bearer /);
      assert.match(www, /resource_metadata="http:\/\/localhost:3000\/\.well-known\/oauth-protected-resource\/mcp"/);
      assert.match(www, /scope="watchlist:write"/);
      const meta = (await t.app.inject({ url: '/.well-known/oauth-protected-resource/mcp' })).json() as {
        resource: string;
        authorization_servers: string[];
        scopes_supported: string[];
      };
      assert.equal(meta.resource, 'http://localhost:3000/mcp');
      assert.deepEqual(meta.authorization_servers, ['http://localhost:3000']);
      const as = (await t.app.inject({ url: '/.well-known/oauth-authorization-server' })).json() as {
        issuer: string;
        registration_endpoint: string;
      };
      assert.equal(
        as.issuer,
        meta.authorization_servers[0],
        'the named authorization server serves its RFC 8414 metadata',
      );
      assert.ok(as.registration_endpoint, 'dynamic client registration is advertised');
    });

    test('an invalid token is a 401 invalid_token; a token without the scope is a 403 insufficient_scope', async () => {
      const bad = await rawPost(base, { authorization: 'Bearer not.a.jwt' }, INIT);
      assert.equal(bad.status, 401);
      assert.match(String(bad.headers['www-authenticate']), /error="invalid_token"/);

      const readOnly = await t.token('u-scope', ['watchlist:read']);
      const { client } = await httpClient(base, readOnly);
      try {
        assert.ok(Array.isArray(ok<{ items: unknown[] }>(await call(client, 'list_user_watchlist')).items));
        await assert.rejects(call(client, 'add_to_watchlist', { title_id: titleId }), /403/);
        const init = await rawPost(base, { authorization: `Bearer ${readOnly}` }, INIT);
        const res = await rawPost(
          base,
          {
            authorization: `Bearer ${readOnly}`,
            'mcp-session-id': String(init.headers['mcp-session-id']),
            'mcp-protocol-version': '2025-06-18',
          },
          {
            jsonrpc: '2.0',
            id: 2,
            method: 'tools/call',
            params: { name: 'send_to_device', arguments: { device_id: 'tv', title_id: titleId } },
          },
        );
        assert.equal(res.status, 403);
        assert.match(String(res.headers['www-authenticate']), /error="insufficient_scope", scope="devices"/);
      } finally {
        await client.close();
      }
    });

    test("an agent's catalog tools use the person's region only with the scope that may read it", async () => {
      const reader = await agentToken(t, 'u-agent', ['catalog:read']);
      const { client } = await httpClient(base, reader);
      try {
        const without = errorText(await call(client, 'check_availability', { title_id: titleId }));
        assert.match(without, /^INVALID_INPUT: Pass a region .*"recommendations" scope/);
        assert.ok(ok(await call(client, 'check_availability', { title_id: titleId, region: 'US' })));
      } finally {
        await client.close();
      }
      const recs = await agentToken(t, 'u-agent', ['catalog:read', 'recommendations']);
      const second = await httpClient(base, recs);
      try {
        assert.ok(ok(await call(second.client, 'check_availability', { title_id: titleId })));
      } finally {
        await second.client.close();
      }
    });

    test('DNS-rebinding protection: a foreign Host or Origin is refused with 403', async () => {
      const port = new URL(base).port;
      assert.equal((await rawPost(base, { host: `evil.example:${port}` }, INIT)).status, 403);
      assert.equal((await rawPost(base, { origin: 'http://evil.example' }, INIT)).status, 403);
      assert.equal((await rawPost(base, { host: `localhost:${port}` }, INIT)).status, 200);
    });

    test("a session belongs to its user: another user's token cannot use it", async () => {
      const a = await t.token('u-owner', ['watchlist:read']);
      const b = await t.token('u-intruder', ['watchlist:read']);
      const init = await rawPost(base, { authorization: `Bearer ${a}` }, INIT);
      const res = await rawPost(
        base,
        {
          authorization: `Bearer ${b}`,
          'mcp-session-id': String(init.headers['mcp-session-id']),
          'mcp-protocol-version': '2025-06-18',
        },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_user_watchlist', arguments: {} } },
      );
      assert.equal(res.status, 403);
    });

    test(
      'signed in: watchlist add shows up on a synced device, remove, ' +
        'recommendations, devices and a handoff that reaches the device',
      async () => {
        const token = await t.token('u-agent', [...USER_SCOPES]);
        const wsUrl = `${base.replace(/^http/, 'ws')}/sync`;
        const tv = await device(wsUrl, token, 'tv-1', undefined, 'Living room TV');
        const got: Array<{ titleId: string; positionSeconds: number | null }> = [];
        tv.on('handoff', (h) => got.push(h));
        const { client } = await httpClient(base, token);
        try {
          const added = ok<{ titleId: string }>(await call(client, 'add_to_watchlist', { title_id: titleId }));
          assert.equal(added.titleId, titleId);
          await waitFor(() => tv.watchlist().some((i) => i.titleId === titleId), 'the TV sees the add');
          const list = ok<{ total: number; items: Array<{ titleId: string; title?: string }> }>(
            await call(client, 'list_user_watchlist'),
          );
          assert.equal(list.total, 1);
          assert.equal(list.items[0]?.titleId, titleId);
          assert.ok(list.items[0]?.title, 'entries carry the title name');

          const recs = ok<{ items: Array<{ id: string; why?: string }>; sampleData?: { asOf: string } }>(
            await call(client, 'get_recommendations', { limit: 5 }),
          );
          assert.equal(recs.sampleData?.asOf, SAMPLE_AS_OF, 'sample titles are marked as sample');
          const restRecs = (
            await t.app.inject({ url: '/api/recommendations?limit=5', headers: { authorization: `Bearer ${token}` } })
          ).json() as { items: Array<{ id: string }> };
          assert.deepEqual(
            recs.items.map((r) => r.id),
            restRecs.items.map((r) => r.id),
          );

          const devices = ok<{ devices: Array<{ id: string; name: string; online: boolean }> }>(
            await call(client, 'list_user_devices'),
          );
          assert.deepEqual(
            devices.devices.map((d) => [d.id, d.name, d.online]),
            [['tv-1', 'Living room TV', true]],
          );

          const sent = ok<{ deliveredNow: boolean; link?: { url: string } }>(
            await call(client, 'send_to_device', { device_id: 'tv-1', title_id: titleId, position_seconds: 120 }),
          );
          assert.equal(sent.deliveredNow, true);
          await waitFor(() => got.length === 1, 'the TV got the handoff');
          assert.equal(got[0]?.titleId, titleId);
          assert.equal(got[0]?.positionSeconds, 120);
          assert.match(
            errorText(await call(client, 'send_to_device', { device_id: 'no-such-device', title_id: titleId })),
            /^NOT_FOUND:/,
          );

          ok(await call(client, 'remove_from_watchlist', { title_id: titleId }));
          await waitFor(() => !tv.watchlist().some((i) => i.titleId === titleId), 'the TV sees the removal');
          assert.match(errorText(await call(client, 'remove_from_watchlist', { title_id: titleId })), /^NOT_FOUND:/);
        } finally {
          await client.close();
          tv.close();
        }
      },
    );
  });
}
