#!/usr/bin/env node
// `npm run bench:web -- --json`: the JavaScript a first visit downloads (entry script plus its
// modulepreloads, as index.html names them), gzipped, against the 250 kB budget. Lazy chunks
// (sync client after sign-in, TV mode, dashboard) are listed separately. Last stdout line: JSON.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const json = process.argv.includes('--json');
if (!existsSync(join(dist, 'index.html'))) {
  console.error('apps/web/dist is missing: run "npm run build:web" first');
  process.exit(1);
}
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (rel) => gzipSync(readFileSync(join(dist, rel)), { level: 9 }).length;
const all = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => `assets/${f}`);
const firstLoad = initial.reduce((n, f) => n + gz(f), 0);
const lazy = Object.fromEntries(
  all
    .filter((f) => !initial.includes(f))
    .map((f) => [f.replace(/^assets\/|-[\w-]{8}\.js$/g, ''), +(gz(f) / 1024).toFixed(1)]),
);
const result = {
  first_load_js_gzip_kb: +(firstLoad / 1024).toFixed(1),
  budget_kb: 250,
  within_budget: firstLoad <= 250 * 1024,
  first_load_files: initial.length,
  lazy_chunks_gzip_kb: lazy,
};
if (!json)
  console.error(
    `first load: ${result.first_load_js_gzip_kb} kB gzipped JS (budget 250 kB); lazy: ${JSON.stringify(lazy)}`,
  );
console.log(JSON.stringify(result));
