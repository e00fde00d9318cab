import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commandOnPath } from '@media-gateway/testkit';

/**
 * The HTTP load generator behind bench:search's throughput (packages/search/bench/http-load.mjs): its figure
 * only means "every body distinct" if every body really is, whichever client sends them. A plain HTTP server
 * here records the bodies; the gateway's own throughput is a benchmark, not a test.
 */
const loader = new URL('../bench/http-load.mjs', import.meta.url).pathname;
const queries = ['scary movies on netflix', 'say "hi"', 'café au lait'];
/** The faster client where it is installed (CI installs wrk), else the one that ships with npm. */
const anyClient = commandOnPath('wrk', 'optional here') === undefined ? 'wrk' : 'autocannon';

let server: Server;
let url = '';
let bodies: string[] = [];
/** The client ports seen: one per connection the load generator opened. */
let ports = new Set<number>();
const queriesFile = join(tmpdir(), `mg-http-load-test-${process.pid}.json`);

before(async () => {
  await writeFile(queriesFile, JSON.stringify(queries));
  server = createServer((req, res) => {
    let body = '';
    ports.add(req.socket.remotePort!);
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      bodies.push(body);
      res.setHeader('content-type', 'application/json');
      res.end('{"results":[]}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.close();
  await rm(queriesFile, { force: true });
});

async function load(...args: string[]): Promise<Record<string, unknown>> {
  bodies = [];
  ports = new Set();
  const child = spawn(process.execPath, [loader, url, queriesFile, '1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, err);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

function checkDistinct(result: Record<string, unknown>, tabs: number): void {
  assert.ok(bodies.length > queries.length, `only ${bodies.length} requests`);
  assert.equal(new Set(bodies).size, bodies.length, 'a body was sent twice');
  for (const body of bodies) {
    const sent = JSON.parse(body) as { query: string; limit: number };
    assert.equal(sent.limit, 10);
    assert.ok(sent.query.startsWith('\t'.repeat(tabs)), JSON.stringify(sent.query));
    assert.ok(queries.includes(sent.query.trim()), `"${sent.query.trim()}" is not from the mix`);
  }
  assert.equal(result['distinct_bodies'], true);
  assert.equal(result['non2xx'], 0);
  assert.ok(Number(result['rps']) > 0 && Number(result['total']) > 0);
  assert.ok(Number(result['client_cpu_s']) >= 0);
}

describe('http-load.mjs: every body distinct, from either client', () => {
  it('autocannon sends the mix with trailing spaces and the round tabs', async () => {
    checkDistinct(await load('--round', '2'), 2);
  });

  it('wrk sends the same, JSON-escaped, and reports p95', {
    skip: commandOnPath('wrk', 'apt-get install wrk'),
  }, async () => {
    const result = await load('--round', '1', '--client', 'wrk');
    checkDistinct(result, 1);
    assert.equal(result['client'], 'wrk');
    assert.ok(Number(result['p95_ms']) >= Number(result['p50_ms']));
  });

  it('--connections sets how many connections send at once', async () => {
    const result = await load('--round', '3', '--connections', '3', '--client', anyClient);
    checkDistinct(result, 3);
    assert.equal(result['connections'], 3);
    assert.equal(ports.size, 3, `${ports.size} connections`);
  });

  it('--repeat sends the mix as it is', async () => {
    await load('--repeat', '--client', anyClient);
    assert.ok(bodies.length > queries.length);
    assert.equal(new Set(bodies).size, queries.length);
  });
});
