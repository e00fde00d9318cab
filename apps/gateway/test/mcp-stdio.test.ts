import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { testBackends } from '@media-gateway/testkit';
import { call, errorText, ok } from './mcp-helpers.ts';
import { device, sampleTitleIds, waitFor } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const USER_SCOPES = ['watchlist:read', 'watchlist:write', 'devices', 'recommendations'] as const;

/** `media-gateway mcp` as a child process, driven by the SDK's own stdio client. */
async function stdioClient(
  base: string,
  configDir: string,
  token?: string,
): Promise<{ client: Client; stderr: () => string }> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: configDir,
    MG_CONFIG_DIR: configDir,
    LOG_LEVEL: 'silent',
  };
  if (token) env['MG_TOKEN'] = token;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(ROOT, 'apps/cli/bin/media-gateway.js'), 'mcp', '--url', base],
    env,
    cwd: ROOT,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c) => {
    stderr += String(c);
  });
  const client = new Client({ name: 'mcp-stdio-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

for (const backend of testBackends()) {
  describe(`MCP over stdio: media-gateway mcp against a running gateway (${backend})`, () => {
    let t: TestApp;
    let base: string;
    let titleId: string;
    let configDir: string;
    before(async () => {
      t = await createTestApp({ backend, sample: true });
      base = await t.app.listen({ port: 0, host: '127.0.0.1' });
      [titleId] = (await sampleTitleIds(t, 1)) as [string];
      configDir = mkdtempSync(join(tmpdir(), 'mg-mcp-'));
    });
    after(async () => {
      await t.close();
      rmSync(configDir, { recursive: true, force: true });
    });

    test(
      'signed in (MG_TOKEN): all ten tools end to end, ' +
        'with the add seen by a synced device and a handoff reaching it',
      async () => {
        const token = await t.token('u-stdio', [...USER_SCOPES]);
        const tv = await device(`${base.replace(/^http/, 'ws')}/sync`, token, 'tv-9', undefined, 'Bedroom TV');
        const handoffs: Array<{ titleId: string }> = [];
        tv.on('handoff', (h) => handoffs.push(h));
        const { client, stderr } = await stdioClient(base, configDir, token);
        try {
          assert.equal((await client.listTools()).tools.length, 10);
          const name = ok<{ title: string }>(await call(client, 'get_content_details', { title_id: titleId })).title;
          assert.ok(
            ok<{ results: Array<{ id: string }> }>(await call(client, 'semantic_search', { query: name })).results.some(
              (r) => r.id === titleId,
            ),
          );
          const avail = ok<{ region: string; offers: unknown[] }>(
            await call(client, 'check_availability', { title_id: titleId }),
          );
          assert.equal(
            avail.region,
            'US',
            "the signed-in person's region (default settings) is used when none is given",
          );
          ok(await call(client, 'get_streaming_links', { title_id: titleId, region: 'US' }));
          assert.ok(
            Array.isArray(
              ok<{ items: unknown[] }>(await call(client, 'get_recommendations', { limit: 3, mood: 'funny' })).items,
            ),
          );

          ok(await call(client, 'add_to_watchlist', { title_id: titleId }));
          await waitFor(() => tv.watchlist().some((i) => i.titleId === titleId), 'the device sees the add');
          const listed = ok<{ items: Array<{ titleId: string; title?: string }> }>(
            await call(client, 'list_user_watchlist'),
          ).items;
          assert.deepEqual(
            listed.map((i) => i.titleId),
            [titleId],
          );
          assert.ok(listed[0]!.title, 'each entry is named, with no second tool call');
          assert.deepEqual(
            ok<{ devices: Array<{ id: string }> }>(await call(client, 'list_user_devices')).devices.map((d) => d.id),
            ['tv-9'],
          );
          assert.equal(
            ok<{ deliveredNow: boolean }>(
              await call(client, 'send_to_device', { device_id: 'tv-9', title_id: titleId }),
            ).deliveredNow,
            true,
          );
          await waitFor(() => handoffs.length === 1, 'the device gets the handoff');
          ok(await call(client, 'remove_from_watchlist', { title_id: titleId }));
          assert.deepEqual(ok<{ items: unknown[] }>(await call(client, 'list_user_watchlist')).items, []);
          assert.doesNotMatch(stderr(), /error/i);
        } finally {
          await client.close();
          tv.close();
        }
      },
    );

    test('anonymous: catalog tools work, user tools get UNAUTHENTICATED; a narrow token gets FORBIDDEN', async () => {
      const anon = await stdioClient(base, configDir);
      try {
        assert.match(anon.stderr(), /not signed in/);
        ok(await call(anon.client, 'check_availability', { title_id: titleId, region: 'US' }));
        assert.match(errorText(await call(anon.client, 'list_user_watchlist')), /^UNAUTHENTICATED:/);
      } finally {
        await anon.client.close();
      }
      const narrow = await stdioClient(base, configDir, await t.token('u-narrow', ['watchlist:read']));
      try {
        assert.match(errorText(await call(narrow.client, 'add_to_watchlist', { title_id: titleId })), /^FORBIDDEN:/);
      } finally {
        await narrow.client.close();
      }
    });

    /** `media-gateway mcp` fed `input` on stdin, closed at once: its exit code and everything it wrote to stdout. */
    async function piped(input: string): Promise<{ code: number | null; out: string }> {
      const child = spawn(process.execPath, [join(ROOT, 'apps/cli/bin/media-gateway.js'), 'mcp', '--url', base], {
        env: { PATH: process.env['PATH'] ?? '', HOME: configDir, MG_CONFIG_DIR: configDir, LOG_LEVEL: 'silent' },
        cwd: ROOT,
      });
      let out = '';
      child.stdout.on('data', (c) => {
        out += String(c);
      });
      child.stdin.end(input);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      return { code, out };
    }

    test('calls piped in with stdin closed at once are all answered before it exits', async () => {
      const lines = [
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } },
        },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'tools/call',
          params: { name: 'semantic_search', arguments: { query: 'korean thrillers', limit: 2 } },
        },
        {
          jsonrpc: '2.0',
          id: 3,
          method: 'tools/call',
          params: { name: 'get_content_details', arguments: { title_id: titleId } },
        },
      ];
      const { code, out } = await piped(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      assert.equal(code, 0);
      const answers = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: number; result?: { isError?: boolean } });
      assert.deepEqual(answers.map((a) => a.id).sort(), [1, 2, 3]);
      for (const a of answers) assert.ok(a.result && !a.result.isError, JSON.stringify(a).slice(0, 200));
    });

    test('a line that is not JSON gets -32700, one that is not JSON-RPC -32600; the next call is still answered', async () => {
      const init = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } },
      };
      const { code, out } = await piped(
        `${JSON.stringify(init)}\n{"jsonrpc": "2.0", "id": 2, "method": \n{"hello": "world"}\n` +
          `${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' })}\n`,
      );
      assert.equal(code, 0);
      const answers = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: number | null; error?: { code: number }; result?: unknown });
      const errors = answers.filter((a) => a.id === null).map((a) => a.error?.code);
      assert.deepEqual(errors, [-32700, -32600], out.slice(0, 600));
      assert.ok(
        answers.some((a) => a.id === 3 && a.result),
        'tools/list after them is answered',
      );
    });
  });
}
