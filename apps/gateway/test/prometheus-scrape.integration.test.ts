import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandOnPath } from '@media-gateway/testkit';
import { createTestApp, type TestApp } from './test-app.ts';

// A real Prometheus (Debian's `prometheus` package) scrapes a running gateway's /metrics and answers
// PromQL about it, with deploy/observability/alerts.yml loaded (issue 16). Outside CI a machine
// without Prometheus skips; in CI its absence fails.
const skip = commandOnPath('prometheus', 'the Prometheus scrape test: apt-get install prometheus');
const rulesFile = new URL('../../../deploy/observability/alerts.yml', import.meta.url).pathname;
const WAIT_MS = 30_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

describe('a real Prometheus scrapes the gateway (issue 16)', { skip }, () => {
  let t: TestApp;
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  let dir = '';
  let promLog = '';

  before(async () => {
    t = await createTestApp({ sample: true, env: { MG_SEARCH_INDEX: 'memory' } });
    const gateway = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
    for (let i = 0; i < 3; i++) {
      const res = await fetch(new URL('/api/search', gateway), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'space' }),
      });
      assert.equal(res.status, 200, await res.text());
      await res.arrayBuffer().catch(() => undefined);
    }

    dir = mkdtempSync(join(tmpdir(), 'mg-prometheus-'));
    const config = join(dir, 'prometheus.yml');
    // JSON is YAML: the same job name as deploy/observability/prometheus.yml, scraped every second.
    writeFileSync(
      config,
      JSON.stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [rulesFile],
        scrape_configs: [
          { job_name: 'media-gateway', metrics_path: '/metrics', static_configs: [{ targets: [gateway.host] }] },
        ],
      }),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.on('data', (chunk: Buffer) => {
      promLog = (promLog + chunk.toString()).slice(-4000);
    });
  });

  after(async () => {
    const child = prometheus;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<VectorResult[]> {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data?: { resultType: string; result: VectorResult[] } };
    assert.equal(body.status, 'success', JSON.stringify(body));
    return body.data?.result ?? [];
  }

  /** Polls `promql` until `accept` holds for its result (bounded), and returns that result. */
  async function waitFor(promql: string, accept: (r: VectorResult[]) => boolean): Promise<VectorResult[]> {
    const deadline = Date.now() + WAIT_MS;
    let last: VectorResult[] | string = 'no answer yet';
    while (Date.now() < deadline) {
      assert.equal(prometheus?.exitCode ?? null, null, `prometheus exited early:\n${promLog}`);
      try {
        const r = await query(promql);
        last = r;
        if (accept(r)) return r;
      } catch (e) {
        last = (e as Error).message; // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.fail(`no acceptable answer to ${promql} within ${WAIT_MS} ms; last: ${JSON.stringify(last)}\n${promLog}`);
  }

  test('PromQL over the scraped series counts the searches made', async () => {
    const result = await waitFor('sum(mg_http_requests_total{route="/api/search"})', (r) => r.length > 0);
    assert.ok(Number(result[0]!.value[1]) >= 3, `searches counted: ${JSON.stringify(result)}`);

    const up = await query('up{job="media-gateway"}');
    assert.equal(up.length, 1);
    assert.equal(up[0]!.value[1], '1');
    // The histogram's buckets made it too: the search p95 is a number of seconds.
    const p95 = await query(
      'histogram_quantile(0.95, sum by (le) (mg_http_request_duration_seconds_bucket{route="/api/search"}))',
    );
    assert.ok(Number(p95[0]?.value[1]) > 0, `search p95: ${JSON.stringify(p95)}`);
  });

  test('the alert rules load into Prometheus and evaluate without errors', async () => {
    const deadline = Date.now() + WAIT_MS;
    let groups: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }> = [];
    while (Date.now() < deadline) {
      const res = await fetch(`${promUrl}/api/v1/rules`);
      groups = ((await res.json()) as { data: { groups: typeof groups } }).data.groups;
      if (groups.length > 0 && groups.every((g) => g.rules.every((r) => r.health !== 'unknown'))) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const rules = groups.flatMap((g) => g.rules);
    assert.ok(rules.length >= 20, `rules loaded: ${rules.length}`);
    const unhealthy = rules.filter((r) => r.health !== 'ok');
    assert.deepEqual(
      unhealthy.map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`),
      [],
    );
    // Before the first scrape MediaGatewayNoTargetsUp is pending; once the gateway is up, a healthy
    // single gateway has neither availability alert pending or firing.
    await waitFor('ALERTS{alertname=~"MediaGatewayNoTargetsUp|MediaGatewayTargetDown"}', (r) => r.length === 0);
  });
});
