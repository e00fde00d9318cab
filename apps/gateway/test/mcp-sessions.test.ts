import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { MAX_SESSIONS, MAX_SESSIONS_PER_OWNER, McpSessionStore } from '../src/routes/mcp-sessions.ts';

/** The store only ever calls close() on a transport. */
const transport = () => ({ close: async () => {} }) as unknown as StreamableHTTPServerTransport;

/** A session of `owner` last used at `lastUsed` (the store reads nothing else). */
const session = (owner: string, lastUsed: number, subject: string | null = null) => ({
  transport: transport(),
  subject,
  owner,
  lastUsed,
  caller: { address: '198.51.100.1' },
});

describe('MCP sessions: a flood of initialize calls cannot evict other people', () => {
  test("1,005 anonymous sessions from one address keep someone else's session", async () => {
    const store = new McpSessionStore();
    await store.add('theirs', session('user:u1', 0, 'u1'));
    for (let i = 0; i < 1005; i++) {
      assert.ok(await store.add(`flood-${i}`, session('ip:198.51.100.7', i + 1)));
    }
    assert.ok(store.get('theirs'), 'the earlier session survives');
    assert.equal(store.size, 1 + MAX_SESSIONS_PER_OWNER, 'the flooder keeps only their newest sessions');
    assert.ok(store.get('flood-1004') && !store.get('flood-0'));
    await store.closeAll();
  });

  test('when full, the owner with the most sessions pays; when everyone has one, new ones are refused', async () => {
    const store = new McpSessionStore();
    for (let i = 0; i < MAX_SESSIONS - 2; i++) await store.add(`s${i}`, session(`ip:${i}`, Date.now()));
    await store.add('a1', session('ip:a', Date.now()));
    await store.add('a2', session('ip:a', Date.now() + 1));
    assert.equal(store.size, MAX_SESSIONS);
    assert.ok(await store.add('new', session('ip:new', Date.now())));
    assert.ok(!store.get('a1') && store.get('a2') && store.get('s0'), "ip:a's oldest went, nobody else's");
    assert.equal(await store.add('refused', session('ip:late', Date.now())), false);
    await store.closeAll();
  });
});
