/**
 * Grid search of fusion weights on the TUNING split only (the first --tune tag queries), printing
 * hybrid nDCG@10 per setting, so eval:search can report the untouched rest as held out.
 * Usage: tsx packages/search/eval/tune-weights.ts --datasets <dir> [--tune 60] --grid '[{"browse":2},{"browse":3}]'
 */
import { parseArgs } from 'node:util';
import { createDb } from '@media-gateway/db';
import { createSearchService } from '../src/index.ts';
import { DEFAULT_SCRATCH } from './build-scratch-db.ts';
import { ndcg10, tagQueries } from './movielens.ts';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string' },
    tune: { type: 'string', default: '60' },
    grid: { type: 'string', default: '[{}]' },
    'data-dir': { type: 'string', default: DEFAULT_SCRATCH },
  },
  strict: true,
});
const db = await createDb({ dataDir: values['data-dir']! });
const svc = await createSearchService({ db, dataDir: values['data-dir'] });
const tags = (await tagQueries(db, values.datasets!)).slice(0, Number(values.tune));
for (const weights of JSON.parse(values.grid!) as Array<Record<string, number>>) {
  let sum = 0;
  for (const { query, relevant } of tags)
    sum += ndcg10(
      (await svc.search({ query, limit: 10 }, { mode: 'hybrid', weights })).results.map((r) => r.id),
      relevant,
    );
  console.log(JSON.stringify(weights), (sum / tags.length).toFixed(4));
}
await db.close();
process.exit(0);
