/**
 * Offline evaluation on MovieLens ml-latest-small: per-user temporal 80/20 split, full ranking over
 * every movie with already-rated ones excluded, Recall@20 / NDCG@10 / catalog coverage for
 * popularity, item-kNN, EASE and ours (SONA), then an online replay of the test period in time
 * order with adapters updating against the same model frozen.
 *
 *   npm run eval:recs -- --datasets <dir> [--min-count 10] [--json]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeAdapter, encodeAdapter } from '../src/adapter-codec.ts';
import { CollabIndex } from '../src/collab-index.ts';
import { type EaseModel, trainEase } from '../src/ease-trainer.ts';
import { ItemTable } from '../src/item-table.ts';
import { rank, topK } from '../src/ranker.ts';
import { UserAdapter } from '../src/user-adapter.ts';
import { loadMovieLens, temporalSplit } from './movielens-loader.ts';
import { ndcgAt, recallAt } from './ranking-metrics.ts';
import { feedUser, lookupOf, ratingEvents } from './replay-events.ts';

const { values } = parseArgs({
  options: { datasets: { type: 'string' }, 'min-count': { type: 'string' }, json: { type: 'boolean' } },
  strict: true,
});
const root = values.datasets ?? process.env['MG_DATASETS'];
const dir = root ? join(root, 'movielens', 'ml-latest-small') : '';
if (!root || !existsSync(join(dir, 'ratings.csv'))) {
  process.stderr.write(
    `eval:recs: MovieLens not found under ${root ?? '(no --datasets / MG_DATASETS)'}/movielens/ml-latest-small\n`,
  );
  process.exit(2);
}
const minCount = Number(values['min-count'] ?? 10);
const log = (m: string) => {
  if (!values.json) process.stdout.write(`${m}\n`);
  else process.stderr.write(`${m}\n`);
};

const t0 = performance.now();
const { movies, ratings } = loadMovieLens(dir);
const { train, test } = temporalSplit(ratings);
const trainCounts = new Map<string, number>();
for (const list of train.values()) for (const r of list) trainCounts.set(r.item, (trainCounts.get(r.item) ?? 0) + 1);
const items = new ItemTable(movies.map((m) => ({ ...m, popularity: Math.log1p(trainCounts.get(m.id) ?? 0) })));
const n = items.size;
const users = [...test.keys()].filter((u) => (test.get(u)?.length ?? 0) > 0);
log(`${movies.length} movies, ${ratings.length} ratings, ${users.length} test users`);

// Base model: EASE over every train rating (implicit: rated = seen), items with >= minCount raters.
const interactions = [...train.values()].flat().map((r) => ({ user: r.user, item: r.item, weight: 1 }));
const tTrain = performance.now();
const ease: EaseModel = trainEase(interactions, { minCount, lambda: 200, maxItems: 4000, topK: 0 });
const trainSeconds = (performance.now() - tTrain) / 1000;
log(`EASE on ${ease.items.length} items (>= ${minCount} raters) in ${trainSeconds.toFixed(1)} s`);
const collab = new CollabIndex(ease, items);

// item-kNN (cosine on the same item set).
const m = ease.items.length;
const col = new Map(ease.items.map((id, i) => [id, i]));
const co = new Float32Array(m * m);
const degree = new Float32Array(m);
for (const list of train.values()) {
  const idx = [...new Set(list.map((r) => col.get(r.item)).filter((i): i is number => i !== undefined))];
  for (const a of idx) {
    degree[a]! += 1;
    for (const b of idx) if (a !== b) co[a * m + b]! += 1;
  }
}
for (let a = 0; a < m; a++)
  for (let b = 0; b < m; b++) co[a * m + b] = co[a * m + b]! / Math.sqrt(degree[a]! * degree[b]! || 1);

const lookup = lookupOf(items);
function adapterFor(user: string): UserAdapter {
  const a = new UserAdapter(user);
  feedUser(a, train.get(user)!, lookup);
  return a;
}
function allowedExcept(seen: Iterable<string>): Uint8Array {
  const mask = new Uint8Array(n).fill(1);
  for (const id of seen) {
    const i = items.index.get(id);
    if (i !== undefined) mask[i] = 0;
  }
  return mask;
}
function scoreList(scores: Float32Array, allowed: Uint8Array, k: number): number[] {
  for (let j = 0; j < n; j++) if (allowed[j] !== 1) scores[j] = Number.NEGATIVE_INFINITY;
  return topK(scores, k);
}
function easeLike(
  user: string,
  matrix: { row: (a: number, out: Float32Array) => void },
  allowed: Uint8Array,
): number[] {
  const scores = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
  const acc = new Float32Array(m);
  for (const r of train.get(user)!) {
    const a = col.get(r.item);
    if (a !== undefined) matrix.row(a, acc);
  }
  ease.items.forEach((id, c) => {
    scores[items.index.get(id)!] = acc[c]!;
  });
  return scoreList(scores, allowed, 20);
}
const easeRow = {
  row: (a: number, out: Float32Array) => {
    for (let p = ease.ptr[a]!; p < ease.ptr[a + 1]!; p++) out[ease.idx[p]!]! += ease.val[p]!;
  },
};
const knnRow = {
  row: (a: number, out: Float32Array) => {
    for (let b = 0; b < m; b++) out[b]! += co[a * m + b]!;
  },
};

const methods = ['popularity', 'itemknn', 'ease', 'ours'] as const;
const sums = Object.fromEntries(methods.map((k) => [k, { recall20: 0, ndcg10: 0, seen: new Set<number>() }])) as Record<
  (typeof methods)[number],
  { recall20: number; ndcg10: number; seen: Set<number> }
>;
const popScores = Float32Array.from(items.prior);
const adapters = new Map<string, UserAdapter>();
for (const user of users) {
  const seen = train.get(user)!.map((r) => r.item);
  const allowed = allowedExcept(seen);
  const relevant = new Set(
    test
      .get(user)!
      .map((r) => items.index.get(r.item)!)
      .filter((i) => i !== undefined),
  );
  const adapter = adapterFor(user);
  adapters.set(user, adapter);
  const now = train.get(user)!.at(-1)!.at;
  const lists = {
    popularity: scoreList(Float32Array.from(popScores), allowed, 20),
    itemknn: easeLike(user, knnRow, allowed),
    ease: easeLike(user, easeRow, allowed),
    ours: rank({ items, collab, adapter, allowed, now, limit: 20, excludeSeen: false, explain: false }).map(
      (r) => r.index,
    ),
  };
  for (const k of methods) {
    sums[k].recall20 += recallAt(20, lists[k], relevant);
    sums[k].ndcg10 += ndcgAt(10, lists[k], relevant);
    for (const i of lists[k]) sums[k].seen.add(i);
  }
}
const round = (x: number) => Math.round(x * 1e4) / 1e4;
const summary = (k: (typeof methods)[number]) => ({
  recall20: round(sums[k].recall20 / users.length),
  ndcg10: round(sums[k].ndcg10 / users.length),
  coverage: round(sums[k].seen.size / n),
});

// Online replay: each person's test period in time order, four blocks; before each block rank,
// score NDCG@10 against that block; the online adapter then learns the block, the frozen one not.
let online = 0;
let frozen = 0;
let steps = 0;
for (const user of users) {
  const events = test.get(user)!;
  const live = adapters.get(user)!;
  const still = decodeAdapter(user, encodeAdapter(live))!;
  const seen = new Set(train.get(user)!.map((r) => r.item));
  const blocks = 4;
  for (let b = 0; b < blocks; b++) {
    const block = events.slice(
      Math.floor((b * events.length) / blocks),
      Math.floor(((b + 1) * events.length) / blocks),
    );
    if (block.length === 0) continue;
    const relevant = new Set(block.map((r) => items.index.get(r.item)!).filter((i) => i !== undefined));
    const allowed = allowedExcept(seen);
    const now = block[0]!.at;
    online += ndcgAt(
      10,
      rank({ items, collab, adapter: live, allowed, now, limit: 10, excludeSeen: false, explain: false }).map(
        (r) => r.index,
      ),
      relevant,
    );
    frozen += ndcgAt(
      10,
      rank({ items, collab, adapter: still, allowed, now, limit: 10, excludeSeen: false, explain: false }).map(
        (r) => r.index,
      ),
      relevant,
    );
    steps++;
    for (const r of block) {
      seen.add(r.item);
      for (const e of ratingEvents(r)) live.update(e, lookup);
    }
  }
}

const result = {
  ours: summary('ours'),
  ease: summary('ease'),
  itemknn: summary('itemknn'),
  popularity: summary('popularity'),
  replay: { online_ndcg10: round(online / steps), frozen_ndcg10: round(frozen / steps) },
  setup: {
    users: users.length,
    items: n,
    ease_items: ease.items.length,
    min_count: minCount,
    split: 'per-user temporal 80/20',
    train_seconds: round(trainSeconds),
    seconds: round((performance.now() - t0) / 1000),
  },
};
if (!values.json) log(JSON.stringify(result, null, 2));
process.stdout.write(`${JSON.stringify(result)}\n`);
