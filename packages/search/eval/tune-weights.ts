/**
 * Grid search of fusion weights on the TUNING split only (the same seeded split eval:search uses:
 * same --seed, --tune and --max-tags), printing hybrid nDCG@10 per setting. The held-out queries are
 * never searched here. eval:search makes its own selection on the same split (`--grid`).
 * Usage: tsx packages/search/eval/tune-weights.ts --datasets <dir> [--seed 15] [--tune 60] [--fusion rrf|score]
 *   --grid '[{"browse":2},{"browse":3}]'
 */
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import { createSearchService, type FusionMethod } from '../src/index.ts';
import { DEFAULT_SCRATCH } from './build-scratch-db.ts';
import { DEFAULT_SPLIT_SEED, DEFAULT_TUNING_QUERIES, ndcg10, splitTagQueries, tagQueries } from './movielens.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string' },
    seed: { type: 'string', default: String(DEFAULT_SPLIT_SEED) },
    tune: { type: 'string', default: String(DEFAULT_TUNING_QUERIES) },
    'max-tags': { type: 'string', default: '150' },
    fusion: { type: 'string', default: 'rrf' },
    grid: { type: 'string', default: '[{}]' },
    'data-dir': { type: 'string', default: DEFAULT_SCRATCH },
  },
  strict: true,
});
const datasets = values.datasets ?? process.env['MG_DATASETS'];
if (!datasets) throw new Error('--datasets <dir> (or MG_DATASETS) is required');
const db = await createDb({ dataDir: values['data-dir']! });
const svc = await createSearchService({ db, dataDir: values['data-dir'] });
const { tuning, seed } = splitTagQueries(await tagQueries(db, datasets), {
  seed: Number(values.seed),
  tuning: Number(values.tune),
  maxQueries: Number(values['max-tags']),
});
console.log(`tuning split: ${tuning.length} tag queries, seed ${seed}, fusion ${values.fusion}`);
for (const weights of JSON.parse(values.grid!) as Array<Record<string, number>>) {
  let sum = 0;
  for (const { query, relevant } of tuning)
    sum += ndcg10(
      (
        await svc.search(
          { query, limit: 10 },
          { mode: 'hybrid', fusion: values.fusion as FusionMethod, diversify: true, weights },
        )
      ).results.map((r) => r.id),
      relevant,
    );
  console.log(JSON.stringify(weights), (sum / Math.max(1, tuning.length)).toFixed(4));
}
await db.close();
process.exit(0);
