import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { commandOnPath } from '@media-gateway/testkit';
import { metricNames } from '../observability-check.ts';

const root = new URL('../..', import.meta.url).pathname;
const script = new URL('../observability-check.ts', import.meta.url).pathname;
const observability = join(root, 'deploy', 'observability');

// Outside CI a machine without promtool skips; in CI a missing promtool fails here.
const skip = commandOnPath('promtool', 'alert rules: apt-get install prometheus');

const check = (dir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, '--dir', dir], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });

describe('deploy/observability: alert rules, their unit tests and the dashboard (issue 16)', () => {
  test('the metric-name scan finds metrics, not functions, labels, variables or numbers', () => {
    assert.deepEqual(
      metricNames(
        'histogram_quantile(0.95, sum by (route, le) ' +
          '(rate(mg_http_request_duration_seconds_bucket{route=~"/api/search",instance=~"$instance"}' +
          '[$__rate_interval]))) > 1e-2',
      ),
      ['mg_http_request_duration_seconds_bucket'],
    );
    assert.deepEqual(metricNames('time() - max by (source) (mg_ingest_last_success_timestamp_seconds) > 2 * 86400'), [
      'mg_ingest_last_success_timestamp_seconds',
    ]);
    assert.deepEqual(metricNames('a:b:rate5m > 0.1 and on (job) up == 0 or vector(0)'), ['a:b:rate5m', 'up']);
  });

  test('npm run check:observability passes: promtool check rules, promtool test rules, the dashboard', { skip }, () => {
    const r = check(observability);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /SUCCESS: \d+ rules found/);
    assert.match(r.stdout, /Unit Testing:\s+alerts\.test\.yml\s+SUCCESS/);
    assert.match(r.stdout, /is fine/);
  });

  describe('a broken copy fails, naming each problem', { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-observability-test-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('invalid PromQL in alerts.yml fails promtool check rules', () => {
      cpSync(observability, join(dir, 'syntax'), { recursive: true });
      const file = join(dir, 'syntax', 'alerts.yml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          'expr: up{job="media-gateway"} == 0',
          'expr: up{job="media-gateway"} == == 0',
        ),
      );
      const r = check(join(dir, 'syntax'));
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /promtool check rules failed/);
    });

    test('a threshold the unit tests disagree with fails promtool test rules', () => {
      cpSync(observability, join(dir, 'threshold'), { recursive: true });
      const file = join(dir, 'threshold', 'alerts.yml');
      const text = readFileSync(file, 'utf8');
      // Search's budget loosened from 10 ms to 100 ms: the "slow search" test no longer sees it fire.
      const broken = text.replace('{route="/api/search"} > 0.010', '{route="/api/search"} > 0.100');
      assert.notEqual(broken, text);
      writeFileSync(file, broken);
      const r = check(join(dir, 'threshold'));
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /promtool test rules failed/);
      assert.match(r.stderr, /MediaGatewaySearchLatencyHigh/);
    });

    test('an unknown metric, a missing runbook section and a dashboard that is not JSON are named', () => {
      cpSync(observability, join(dir, 'names'), { recursive: true });
      const rules = join(dir, 'names', 'alerts.yml');
      writeFileSync(
        rules,
        readFileSync(rules, 'utf8')
          .replace(
            'nodejs_eventloop_lag_p99_seconds{job="media-gateway"} > 0.1',
            'mg_event_loop_lag{job="media-gateway"} > 0.1',
          )
          .replace('README.md#mediagatewaymemoryhigh', 'README.md#no-such-section'),
      );
      const dashboard = join(dir, 'names', 'grafana', 'dashboards', 'media-gateway.json');
      writeFileSync(dashboard, readFileSync(dashboard, 'utf8').slice(0, 500));
      const r = check(join(dir, 'names'));
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /unknown metric "mg_event_loop_lag"/);
      assert.match(r.stderr, /MediaGatewayMemoryHigh: README\.md has no section #no-such-section/);
      assert.match(r.stderr, /media-gateway\.json is not JSON/);
    });
  });
});
