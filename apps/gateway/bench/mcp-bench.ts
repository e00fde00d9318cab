/**
 * bench:mcp — round trip of one MCP tool call (check_availability) over stdio (`media-gateway mcp`
 * as a child process) and over Streamable HTTP (/mcp), against the REST call it wraps
 * (GET /api/titles/:id?region=US) over loopback HTTP, all against one gateway on an embedded
 * database with the sample catalog. overhead_p95_ms = max(stdio, http) p95 − REST p95.
 * Prints {"stdio_p95_ms","http_p95_ms","rest_p95_ms","overhead_p95_ms", …} as the last line.
 * Usage: npm run bench:mcp -- [--calls 500] [--json]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { loadSampleIfEmpty } from '@media-gateway/catalog';
import { noopLogger } from '@media-gateway/domain';
import { buildApp, createContext, loadConfig } from '@media-gateway/gateway';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const { values } = scriptArgs(import.meta.url, {
  options: { json: { type: 'boolean' }, calls: { type: 'string' } },
  strict: true,
});
const n = Number(values.calls ?? 500);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const log = (line: string) => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

const dataDir = await mkdtemp(join(tmpdir(), 'mg-bench-mcp-'));
const config = loadConfig(
  // The per-client request budget would throttle one client doing 1,500 calls a minute: off here.
  {
    ...process.env,
    DATABASE_URL: '',
    MG_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MG_API_RATE_LIMIT: '0',
    MG_API_RATE_LIMIT_ANONYMOUS: '0',
  },
  { port: 0, host: '127.0.0.1' },
);
const ctx = await createContext(config, noopLogger);
await loadSampleIfEmpty(ctx.db);
const ids = (
  await ctx.db.query<{ id: string }>("SELECT DISTINCT title_id AS id FROM offers WHERE region = 'US' ORDER BY 1")
).rows.map((r) => r.id);
const app = await buildApp(ctx);
const base = await app.listen({ port: 0, host: '127.0.0.1' });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! * 1000) / 1000;
};

/**
 * The three paths are timed interleaved (REST, HTTP, stdio for each call) so that load from
 * anything else on the machine hits all three alike: the overhead is a difference of like with like.
 */
async function timeInterleaved(paths: Record<string, (i: number) => Promise<void>>): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  for (let i = 0; i < 50; i++) for (const run of Object.values(paths)) await run(i); // warm-up (JIT, connections)
  for (let i = 0; i < n; i++) {
    for (const [label, run] of Object.entries(paths)) {
      const t0 = performance.now();
      await run(i);
      times[label]!.push(performance.now() - t0);
    }
  }
  for (const [label, xs] of Object.entries(times))
    log(`${label}: p50 ${pct(xs, 50)} ms, p95 ${pct(xs, 95)} ms over ${n} calls`);
  return times;
}

function toolCalls(client: Client) {
  return async (i: number) => {
    const res = await client.callTool({
      name: 'check_availability',
      arguments: { title_id: ids[(i * 31) % ids.length], region: 'US' },
    });
    if (res.isError) throw new Error(`tool error: ${JSON.stringify(res.content)}`);
  };
}

try {
  const http = new Client({ name: 'bench', version: '1' });
  await http.connect(new StreamableHTTPClientTransport(new URL('/mcp', base)));
  const stdio = new Client({ name: 'bench', version: '1' });
  await stdio.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [join(ROOT, 'apps/cli/bin/media-gateway.js'), 'mcp', '--url', base],
      cwd: ROOT,
      stderr: 'ignore',
      env: { PATH: process.env['PATH'] ?? '', MG_CONFIG_DIR: dataDir },
    }),
  );
  const times = await timeInterleaved({
    rest: async (i) => {
      const res = await fetch(`${base}/api/titles/${ids[(i * 31) % ids.length]}?region=US`);
      if (res.status !== 200) throw new Error(`REST status ${res.status}`);
      await res.json();
    },
    http: toolCalls(http),
    stdio: toolCalls(stdio),
  });
  await http.close();
  await stdio.close();
  const [rest, httpTimes, stdioTimes] = [times['rest']!, times['http']!, times['stdio']!];

  const result = {
    stdio_p95_ms: pct(stdioTimes, 95),
    http_p95_ms: pct(httpTimes, 95),
    rest_p95_ms: pct(rest, 95),
    overhead_p95_ms: Math.round((Math.max(pct(stdioTimes, 95), pct(httpTimes, 95)) - pct(rest, 95)) * 1000) / 1000,
    stdio_p50_ms: pct(stdioTimes, 50),
    http_p50_ms: pct(httpTimes, 50),
    rest_p50_ms: pct(rest, 50),
    calls: n,
    titles: ids.length,
    tool: 'check_availability',
    rest_call: 'GET /api/titles/:id?region=US',
    target_overhead_p95_ms: 5,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
}
