import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTokenService } from '@media-gateway/auth';
import { ingest, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { noopLogger } from '@media-gateway/domain';
import { freshDb, testBackends } from '@media-gateway/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { contextFor } from '../src/compose.ts';
import { call, ok } from './mcp-helpers.ts';
import { testConfig } from './test-app.ts';

/**
 * Two replicas on one database, and a client whose every request goes to the next replica in turn
 * (a load balancer without stickiness): the MCP session opened on one is served by the other.
 */
for (const backend of testBackends()) {
  describe(`MCP sessions across replicas, no sticky routing (${backend})`, () => {
    let db: Db;
    let replicas: Array<{ app: FastifyInstance; url: string }>;
    let token: string;
    before(async () => {
      db = await freshDb(backend);
      await ingest({
        db,
        source: sampleSource(),
      });
      const config = testConfig();
      replicas = [];
      for (let i = 0; i < 2; i++) {
        const tokens = await createTokenService(db, { issuer: config.publicUrl });
        const app = await buildApp(contextFor({ config, db, logger: noopLogger, tokens, closeDb: false }));
        replicas.push({ app, url: await app.listen({ port: 0, host: '127.0.0.1' }) });
      }
      const tokens = await createTokenService(db, { issuer: config.publicUrl });
      token = (
        await tokens.issueAccessToken({ userId: 'agent-user', clientId: 'mcp-test', scopes: ['watchlist:read'] })
      ).token;
    });
    after(async () => {
      for (const r of replicas) await r.app.close();
      await db.close();
    });

    /** Round-robin over the replicas; records which one answered each request. */
    const roundRobin = () => {
      let next = 0;
      const served: number[] = [];
      const fetchVia = async (input: string | URL | Request, init?: RequestInit) => {
        const i = next++ % replicas.length;
        served.push(i);
        const url = new URL(input instanceof Request ? input.url : String(input));
        const target = new URL(replicas[i]!.url);
        url.host = target.host;
        return fetch(url, init);
      };
      return { fetchVia, served };
    };

    test('initialize on one replica, list and call tools on the other, end the session from either', async () => {
      const lb = roundRobin();
      const transport = new StreamableHTTPClientTransport(new URL('/mcp', replicas[0]!.url), {
        fetch: lb.fetchVia,
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      });
      const client = new Client({ name: 'lb-test', version: '1.0.0' });
      await client.connect(transport);
      const tools = await client.listTools();
      assert.equal(tools.tools.length, 10);
      const first = (await db.query<{ id: string }>('SELECT id FROM titles ORDER BY id LIMIT 1')).rows[0]!.id;
      for (let i = 0; i < 4; i++) {
        const avail = ok<{ title_id?: string; titleId?: string }>(
          await call(client, 'check_availability', { title_id: first, region: 'US' }),
        );
        assert.ok(avail);
      }
      assert.ok(new Set(lb.served).size === 2, `both replicas served the session: ${lb.served.join(',')}`);
      const sessionId = transport.sessionId!;
      assert.equal((await db.query('SELECT 1 FROM mcp_sessions WHERE id = $1', [sessionId])).rows.length, 1);
      await transport.terminateSession();
      // Ended for every replica: the shared record is gone and both answer 404 for it.
      assert.equal((await db.query('SELECT 1 FROM mcp_sessions WHERE id = $1', [sessionId])).rows.length, 0);
      for (const r of replicas) {
        const res = await fetch(new URL('/mcp', r.url), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-session-id': sessionId,
            authorization: `Bearer ${token}`,
          },
          body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
        });
        assert.equal(res.status, 404);
      }
      await client.close();
    });

    test("a session bound to one person on one replica refuses another person's token on the other", async () => {
      const init = await fetch(new URL('/mcp', replicas[0]!.url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
        }),
      });
      assert.equal(init.status, 200);
      const sessionId = init.headers.get('mcp-session-id')!;
      const tokens = await createTokenService(db, { issuer: 'http://localhost:3000' });
      const other = (
        await tokens.issueAccessToken({ userId: 'someone-else', clientId: 'c', scopes: ['watchlist:read'] })
      ).token;
      const res = await fetch(new URL('/mcp', replicas[1]!.url), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId,
          'mcp-protocol-version': '2025-06-18',
          authorization: `Bearer ${other}`,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
      assert.equal(res.status, 403);
    });
  });
}
