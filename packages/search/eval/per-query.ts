/**
 * Per-query nDCG@10 of hybrid vs lexical on the MovieLens tag queries, with what the parser read:
 * for finding where fusion loses (a tuning aid, not part of the reported eval). Like every tuning aid it
 * reads the TUNING split only (eval:search's seeded split: same --seed, --tune, --max-tags).
 * Usage: tsx packages/search/eval/per-query.ts --datasets <dir> [--seed 15] [--tune 60] [--weights '{"vector":1}']
 */
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import { createSearchService } from '../src/index.ts';
import { DEFAULT_SCRATCH } from './build-scratch-db.ts';
import { DEFAULT_SPLIT_SEED, DEFAULT_TUNING_QUERIES, ndcg10, splitTagQueries, tagQueries } from './movielens.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string' },
    weights: { type: 'string' },
    'max-tags': { type: 'string', default: '150' },
    seed: { type: 'string', default: String(DEFAULT_SPLIT_SEED) },
    tune: { type: 'string', default: String(DEFAULT_TUNING_QUERIES) },
  },
  strict: true,
});
const db = await createDb({ dataDir: DEFAULT_SCRATCH });
const svc = await createSearchService({ db, dataDir: DEFAULT_SCRATCH });
const tags = splitTagQueries(await tagQueries(db, values.datasets!), {
  seed: Number(values.seed),
  tuning: Number(values.tune),
  maxQueries: Number(values['max-tags']),
}).tuning;
const weights = values.weights ? JSON.parse(values.weights) : undefined;
for (const [i, { query, relevant }] of tags.entries()) {
  const h = await svc.search({ query, limit: 10 }, { mode: 'hybrid', ...(weights ? { weights } : {}) });
  const l = await svc.search({ query, limit: 10 }, { mode: 'lexical' });
  const v = await svc.search({ query, limit: 10 }, { mode: 'vector' });
  const u = h.understood;
  const read = [
    ...u.genres.map((g) => `g:${g}`),
    ...u.moods.map((m) => `m:${m.mood}`),
    ...u.people.map((p) => `p:${p.name}`),
    u.text ? `t:"${u.text}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  console.log(
    [
      i,
      query,
      relevant.size,
      ndcg10(
        h.results.map((r) => r.id),
        relevant,
      ).toFixed(3),
      ndcg10(
        l.results.map((r) => r.id),
        relevant,
      ).toFixed(3),
      ndcg10(
        v.results.map((r) => r.id),
        relevant,
      ).toFixed(3),
      read,
    ].join('\t'),
  );
}
await db.close();
process.exit(0);
