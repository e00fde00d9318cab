// `npm run check:observability`: checks deploy/observability/ (issue 16).
//   1. `promtool check rules alerts.yml` and `promtool test rules alerts.test.yml`;
//   2. every alert has a severity (page or ticket), a summary and a runbook link to a README section
//      that exists, and the unit tests make it fire at least once and stay quiet at least once;
//   3. the Grafana dashboard parses, every panel query is valid PromQL (promtool checks it as a
//      recording rule), and every expression — the dashboard's and the rules' — names only metrics
//      the gateway exports (apps/gateway/src/metrics.ts), Prometheus' `up`, or a recording rule.
// Exits 1 listing every problem, 2 when promtool is missing. `--dir <path>` checks another copy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** Metrics the gateway exports (apps/gateway/src/metrics.ts) and prom-client's default ones we use. */
export const GATEWAY_METRICS = [
  'mg_http_requests_total',
  'mg_catalog_titles',
  'mg_catalog_offers',
  'mg_users',
  'mg_ws_connections',
  'mg_ws_messages_total',
  'mg_ingest_rows_total',
  'mg_ingest_last_success_timestamp_seconds',
  'mg_connector_calls_total',
  'mg_db_pool_connections',
  'mg_redis_up',
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'process_start_time_seconds',
  'process_open_fds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_heap_size_total_bytes',
  'nodejs_active_handles_total',
  'nodejs_gc_duration_seconds_count',
  'nodejs_gc_duration_seconds_sum',
  'nodejs_gc_duration_seconds_bucket',
];
export const GATEWAY_HISTOGRAMS = [
  'mg_http_request_duration_seconds',
  'mg_sync_update_duration_seconds',
  'mg_search_stage_duration_seconds',
  'mg_recs_duration_seconds',
];
/** Series Prometheus itself adds for every target. */
const PROMETHEUS_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression reads (a simple lexical pass, not a parser). */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers (and Grafana's $variables inside them)
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\$\{?\w+\}?/g, ' ') // Grafana variables elsewhere
    .replace(/(?<![\w:])\d+(?:\.\d*)?(?:[eE][+-]?\d+)?[smhdwy]*/g, ' '); // numbers and durations
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][\w:]*/g)) {
    const after = stripped.slice((m.index ?? 0) + m[0].length);
    if (/^\s*\(/.test(after)) continue; // a function or aggregation
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Grafana's variables replaced by values Prometheus accepts, to check a panel query's syntax. */
const forPromtool = (expr: string) =>
  expr.replace(/\$__(?:rate_)?interval|\$__range|\$\{__(?:rate_)?interval\}/g, '5m').replace(/\$\{?\w+\}?/g, '.*');

interface RuleGroup {
  name: string;
  rules: Array<{
    record?: string;
    alert?: string;
    expr: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  }>;
}

function collectExprs(node: unknown, out: string[]): void {
  if (Array.isArray(node)) for (const n of node) collectExprs(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o['expr'] === 'string' && o['expr'].trim()) out.push(o['expr']);
    for (const v of Object.values(o)) if (v && typeof v === 'object') collectExprs(v, out);
  }
}

const onPath = (name: string) =>
  (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));

/** README headings as GitHub anchors (`### MediaGatewayNoTargetsUp` → `mediagatewaynotargetsup`). */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+)$/gm))
    out.add(
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    );
  return out;
}

function promtool(args: string[], cwd: string): { ok: boolean; output: string } {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

export function checkObservability(dir: string, log: (line: string) => void = () => {}): string[] {
  const problems: string[] = [];
  const rulesFile = join(dir, 'alerts.yml');
  const testsFile = join(dir, 'alerts.test.yml');

  // 1. promtool
  for (const [what, args] of [
    ['promtool check rules', ['check', 'rules', 'alerts.yml']],
    ['promtool test rules', ['test', 'rules', 'alerts.test.yml']],
  ] as const) {
    const r = promtool([...args], dir);
    log(`$ ${what}\n${r.output}`);
    if (!r.ok) problems.push(`${what} failed:\n${r.output}`);
  }

  // 2. alerts: labels, annotations, runbooks, tests
  let groups: RuleGroup[] = [];
  try {
    groups = (parse(readFileSync(rulesFile, 'utf8')) as { groups?: RuleGroup[] })?.groups ?? [];
  } catch (e) {
    problems.push(`alerts.yml does not parse: ${(e as Error).message}`);
  }
  const rules = groups.flatMap((g) => g.rules ?? []);
  const recorded = new Set(rules.flatMap((r) => (r.record ? [r.record] : [])));
  const readmeFile = join(dir, 'README.md');
  const readmeAnchors = existsSync(readmeFile) ? anchors(readFileSync(readmeFile, 'utf8')) : new Set<string>();
  let tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }> = [];
  try {
    tests = (parse(readFileSync(testsFile, 'utf8')) as { tests?: typeof tests })?.tests ?? [];
  } catch (e) {
    problems.push(`alerts.test.yml does not parse: ${(e as Error).message}`);
  }
  const fires = new Set<string>();
  const quiet = new Set<string>();
  for (const t of tests)
    for (const a of t.alert_rule_test ?? []) (a.exp_alerts?.length ? fires : quiet).add(a.alertname);
  for (const r of rules) {
    if (!r.alert) continue;
    const severity = r.labels?.['severity'];
    if (severity !== 'page' && severity !== 'ticket')
      problems.push(`${r.alert}: severity is ${severity ?? 'missing'} (page or ticket)`);
    if (!r.annotations?.['summary']) problems.push(`${r.alert}: no summary annotation`);
    const runbook = r.annotations?.['runbook'] ?? '';
    const m = /^deploy\/observability\/README\.md#([\w-]+)$/.exec(runbook);
    if (!m)
      problems.push(`${r.alert}: runbook annotation "${runbook}" is not deploy/observability/README.md#<section>`);
    else if (!readmeAnchors.has(m[1]!)) problems.push(`${r.alert}: README.md has no section #${m[1]}`);
    if (!fires.has(r.alert)) problems.push(`${r.alert}: no test in alerts.test.yml makes it fire`);
    if (!quiet.has(r.alert)) problems.push(`${r.alert}: no test in alerts.test.yml checks it stays quiet`);
  }

  // 3. dashboard: JSON, PromQL syntax, metric names
  const known = new Set([
    ...GATEWAY_METRICS,
    ...GATEWAY_HISTOGRAMS.flatMap((h) => [`${h}_bucket`, `${h}_count`, `${h}_sum`]),
    ...PROMETHEUS_SERIES,
    ...recorded,
  ]);
  const dashboardsDir = join(dir, 'grafana', 'dashboards');
  const dashboards = existsSync(dashboardsDir) ? readdirSync(dashboardsDir).filter((f) => f.endsWith('.json')) : [];
  if (dashboards.length === 0) problems.push('no dashboard JSON under grafana/dashboards/');
  const panelExprs: Array<{ where: string; expr: string }> = [];
  for (const file of dashboards) {
    let dashboard: unknown;
    try {
      dashboard = JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8'));
    } catch (e) {
      problems.push(`grafana/dashboards/${file} is not JSON: ${(e as Error).message}`);
      continue;
    }
    const exprs: string[] = [];
    collectExprs((dashboard as { panels?: unknown }).panels, exprs);
    if (exprs.length === 0) problems.push(`grafana/dashboards/${file} has no PromQL queries`);
    for (const expr of exprs) panelExprs.push({ where: `grafana/dashboards/${file}`, expr });
  }
  for (const { where, expr } of [
    ...panelExprs,
    ...rules.map((r) => ({ where: `alerts.yml ${r.alert ?? r.record}`, expr: r.expr })),
  ])
    for (const name of metricNames(expr))
      if (!known.has(name)) problems.push(`${where}: unknown metric "${name}" in: ${expr.replace(/\s+/g, ' ')}`);
  if (panelExprs.length > 0) {
    // promtool parses each panel query as a recording rule: a syntax error names the query.
    const tmp = mkdtempSync(join(tmpdir(), 'mg-observability-'));
    try {
      const file = join(tmp, 'dashboard-queries.yml');
      const doc = {
        groups: [
          {
            name: 'dashboard',
            rules: panelExprs.map((p, i) => ({ record: `dashboard_query_${i}`, expr: forPromtool(p.expr) })),
          },
        ],
      };
      writeFileSync(file, JSON.stringify(doc));
      const r = promtool(['check', 'rules', file], tmp);
      log(`$ promtool check rules <the dashboard's ${panelExprs.length} queries>\n${r.output}`);
      if (!r.ok) problems.push(`a dashboard query is not valid PromQL:\n${r.output}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--dir');
  const dir =
    i >= 0 && args[i + 1]
      ? resolve(args[i + 1]!)
      : join(dirname(new URL(import.meta.url).pathname), '..', 'deploy', 'observability');
  if (!onPath('promtool')) {
    console.error('observability-check: promtool is not on PATH (Debian: apt-get install prometheus)');
    process.exit(2);
  }
  const problems = checkObservability(dir, (line) => console.log(line));
  if (problems.length) {
    console.error(`\nobservability-check: ${problems.length} problem(s) in ${dir}:`);
    for (const p of problems) console.error(`- ${p}`);
    process.exit(1);
  }
  console.log(`\nobservability-check: ${dir} is fine`);
}
