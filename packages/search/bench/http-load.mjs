// Loads POST /api/search from its own process (8 connections unless `--connections n`), with the query mix written by
// `http-probe.ts --serve`. Every body is distinct (the query plus 0…n trailing spaces, which the search
// trims), so a response cache in front of search never answers: this measures the search path itself.
// `--repeat` sends the queries as they are (cacheable). `--round <n>` puts n tabs (trimmed too) before every
// query, so the bodies also differ from an earlier run's against the same server (warm up with round 1,
// measure with round 2).
// `--client autocannon` (the default) loads from Node; `--client wrk` from wrk (C, one thread, `apt-get install
// wrk`, script http-load.lua), which leaves more of the 2 shared cores to the server. `client_cpu_s` says how
// much CPU the load generator itself used. Prints one JSON line.
// Usage: node packages/search/bench/http-load.mjs <url> <queries.json> [seconds] [--repeat] [--round <n>]
//        [--client autocannon|wrk] [--connections 8]
// A closed loop: each connection sends its next request when the last answers, so fewer connections give a lower
// rate and a shorter queue (the latency at that rate).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const round = Number(option('--round', '0'));
const client = option('--client', 'autocannon');
const connections = Number(option('--connections', '8'));
const [url, file, seconds = '10', flag] = args;
const queries = JSON.parse(readFileSync(file, 'utf8'));
const repeat = flag === '--repeat';
const common = { distinct_bodies: !repeat, round, client, connections };

if (client === 'wrk') console.log(JSON.stringify({ ...wrkLoad(), ...common }));
else if (client === 'autocannon') console.log(JSON.stringify({ ...(await autocannonLoad()), ...common }));
else {
  console.error(`http-load: --client must be autocannon or wrk, got "${client}"`);
  process.exit(2);
}

async function autocannonLoad() {
  const prefix = '\t'.repeat(round);
  let n = 0;
  const cpuStart = process.cpuUsage();
  const result = await autocannon({
    url: `${url}/api/search`,
    connections,
    duration: Number(seconds),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const i = n++;
          const query =
            prefix + queries[i % queries.length] + (repeat ? '' : ' '.repeat(Math.floor(i / queries.length)));
          return { ...req, body: JSON.stringify({ query, limit: 10 }) };
        },
      },
    ],
  });
  const cpu = process.cpuUsage(cpuStart);
  return {
    rps: Math.round(result.requests.average),
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    p50_ms: result.latency.p50,
    p97_5_ms: result.latency.p97_5,
    p99_ms: result.latency.p99,
    client_cpu_s: round2((cpu.user + cpu.system) / 1e6),
  };
}

function wrkLoad() {
  const lines = join(tmpdir(), `mg-http-load-${process.pid}.txt`);
  writeFileSync(lines, `${queries.map((q) => JSON.stringify(q)).join('\n')}\n`);
  const script = new URL('./http-load.lua', import.meta.url).pathname;
  // bash's `times` prints the CPU its children used: wrk's own share of the cores.
  const run = spawnSync(
    'bash',
    [
      '-c',
      'wrk "$@" || exit $?; times',
      'wrk',
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '-s',
      script,
      `${url}/api/search`,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, MG_QUERIES_LINES: lines, MG_ROUND: String(round), MG_REPEAT: repeat ? '1' : '0' },
    },
  );
  rmSync(lines, { force: true });
  if (run.status !== 0) {
    console.error(`http-load: wrk failed (${run.error?.message ?? run.stderr.trim()}); apt-get install wrk`);
    process.exit(1);
  }
  const out = run.stdout.trim().split('\n');
  const stats = JSON.parse(out.find((l) => l.startsWith('{"requests"')));
  const [user, system] = out.at(-1).split(/\s+/).map(minutesSeconds);
  return {
    rps: Math.round(stats.requests / (stats.duration_us / 1e6)),
    total: stats.requests,
    non2xx: stats.status_errors,
    errors: stats.socket_errors,
    p50_ms: round2(stats.p50_us / 1000),
    p95_ms: round2(stats.p95_us / 1000),
    p97_5_ms: round2(stats.p97_5_us / 1000),
    p99_ms: round2(stats.p99_us / 1000),
    client_cpu_s: round2(user + system),
  };
}

function minutesSeconds(text) {
  const m = /^(\d+)m([\d.]+)s$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}

function round2(x) {
  return Math.round(x * 100) / 100;
}
