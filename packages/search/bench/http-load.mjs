// Loads POST /api/search from its own process (autocannon, 8 connections) with the query mix written by
// `http-probe.ts --serve`. Every body is distinct (the query plus 0…n trailing spaces, which the search
// trims), so a response cache in front of search never answers: this measures the search path itself.
// `--repeat` sends the queries as they are (cacheable). `--round <n>` puts n tabs (trimmed too) before every
// query, so the bodies also differ from an earlier run's against the same server (warm up with round 1,
// measure with round 2). Prints one JSON line.
// Usage: node packages/search/bench/http-load.mjs <url> <queries.json> [seconds] [--repeat] [--round <n>]
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const args = process.argv.slice(2);
const roundAt = args.indexOf('--round');
const round = roundAt >= 0 ? Number(args.splice(roundAt, 2)[1]) : 0;
const [url, file, seconds = '10', flag] = args;
const queries = JSON.parse(readFileSync(file, 'utf8'));
const repeat = flag === '--repeat';
const prefix = '\t'.repeat(round);
let n = 0;
const result = await autocannon({
  url: `${url}/api/search`,
  connections: 8,
  duration: Number(seconds),
  requests: [
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const i = n++;
        const query = prefix + queries[i % queries.length] + (repeat ? '' : ' '.repeat(Math.floor(i / queries.length)));
        return { ...req, body: JSON.stringify({ query, limit: 10 }) };
      },
    },
  ],
});
console.log(
  JSON.stringify({
    rps: Math.round(result.requests.average),
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    p50_ms: result.latency.p50,
    p97_5_ms: result.latency.p97_5,
    p99_ms: result.latency.p99,
    distinct_bodies: !repeat,
    round,
  }),
);
