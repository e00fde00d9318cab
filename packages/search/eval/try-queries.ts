/**
 * Prints how queries are understood and what comes back, against a data dir built by
 * build-scratch-db.ts. Usage: tsx packages/search/eval/try-queries.ts [--data-dir d] "query" …
 */
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import { createSearchService } from '../src/index.ts';

const { values, positionals } = scriptArgs(import.meta.url, {
  allowPositionals: true,
  options: { 'data-dir': { type: 'string', default: '/tmp/mg-search-scratch' } },
  strict: true,
});
const dataDir = values['data-dir']!;
let t = Date.now();
const db = await createDb({ dataDir });
console.log(`db open ${Date.now() - t} ms`);
t = Date.now();
const svc = await createSearchService({ db, dataDir });
console.log(`search service ready ${Date.now() - t} ms, ${svc.catalog.size} titles, ${svc.vectors!.size} vectors`);
for (const q of positionals) {
  t = performance.now();
  const res = await svc.search({ query: q, limit: 5 });
  const ms = (performance.now() - t).toFixed(1);
  const u = res.understood;
  console.log(
    `\n# ${q}  (${ms} ms)\n  understood: ${u.spans.map((s) => `[${s.kind}: ${s.value}]`).join(' ')} ` +
      `text="${u.text}" ${u.notUnderstood.map((n) => `!${n.reason}`).join(' ')} ${u.notes.join(' ')}`,
  );
  for (const r of res.results)
    console.log(
      `  - ${r.title} (${r.year}, ${r.type}, ${r.runtimeMinutes}m, ${r.genres.join('/')}, ` +
        `${r.maturity?.label ?? '-'}) ${r.offers.map((o) => `${o.platform}:${o.urlKind}`).join(',')} | ${r.why}`,
    );
  // Near matches (decision 0125): the closest titles when few or none meet everything, with what each misses.
  for (const r of res.nearMatches ?? []) console.log(`  ~ ${r.title} (${r.year}, ${r.type}) | ${r.misses.join('; ')}`);
}
await db.close();
