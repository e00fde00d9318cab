/**
 * Offline evaluation on MovieLens ml-latest-small: per-user temporal 80/20 split, full ranking over
 * every movie with already-rated ones excluded, Recall@20 / NDCG@10 / catalog coverage for
 * popularity, item-kNN, EASE and ours (SONA), then an online replay of the test period in time
 * order with adapters updating against the same model frozen.
 *
 * Adapter ablation (always printed, same split, same EASE model): every figure of ours is measured
 * twice, with the per-user adapter's online learning on (the shipped system: each event is an SGD
 * step on the adapter's weights) and off (learning rate 0, so the weights stay at their start and
 * the learned correction is zero; the adapter still records the person's history, which is what
 * the content profile is built from). The difference is the adapter's own contribution.
 *
 *   npm run eval:recs -- --datasets <dir> [--min-count 10] [--json]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { decodeAdapter, encodeAdapter } from '../src/adapter-codec.ts';
import { CollabIndex } from '../src/collab-index.ts';
import { type EaseModel, trainEase } from '../src/ease-trainer.ts';
import { ItemTable } from '../src/item-table.ts';
import { rank, topK } from '../src/ranker.ts';
import { trainTransitions } from '../src/transitions.ts';
import { type AdapterOptions, DEFAULT_ADAPTER_OPTIONS, UserAdapter } from '../src/user-adapter.ts';
import { loadMovieLens, temporalSplit } from './movielens-loader.ts';
import { ndcgAt, recallAt } from './ranking-metrics.ts';
import { feedUser, lookupOf, ratingEvents } from './replay-events.ts';

const { values } = scriptArgs(import.meta.url, {
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
// "Watched next" rows from the same training histories, in time order (decision 0112).
const sequence = new CollabIndex(trainTransitions([...train.values()].map((l) => l.map((r) => r.item))), items);

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
/** The ablation: same adapter, learning rate 0 (history still recorded, weights never move). */
const NO_LEARNING: AdapterOptions = { ...DEFAULT_ADAPTER_OPTIONS, learningRate: 0 };
function adapterFor(user: string, options: AdapterOptions = DEFAULT_ADAPTER_OPTIONS): UserAdapter {
  const a = new UserAdapter(user, options);
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
/** Recency-weighted EASE (issue 18's reference): the person's k-th most recent title counts 2^(-k/10). */
const RECENCY_HALF_LIFE_INTERACTIONS = 10;
function easeLike(
  user: string,
  matrix: { row: (a: number, out: Float32Array, weight: number) => void },
  allowed: Uint8Array,
  recency = false,
): number[] {
  const scores = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
  const acc = new Float32Array(m);
  const history = train.get(user)!;
  history.forEach((r, pos) => {
    const a = col.get(r.item);
    const age = history.length - 1 - pos;
    if (a !== undefined) matrix.row(a, acc, recency ? 2 ** (-age / RECENCY_HALF_LIFE_INTERACTIONS) : 1);
  });
  ease.items.forEach((id, c) => {
    scores[items.index.get(id)!] = acc[c]!;
  });
  return scoreList(scores, allowed, 20);
}
const easeRow = {
  row: (a: number, out: Float32Array, weight: number) => {
    for (let p = ease.ptr[a]!; p < ease.ptr[a + 1]!; p++) out[ease.idx[p]!]! += weight * ease.val[p]!;
  },
};
const knnRow = {
  row: (a: number, out: Float32Array) => {
    for (let b = 0; b < m; b++) out[b]! += co[a * m + b]!;
  },
};

const methods = ['popularity', 'itemknn', 'ease', 'ease_recency', 'ours', 'ours_no_learning'] as const;
const sums = Object.fromEntries(methods.map((k) => [k, { recall20: 0, ndcg10: 0, seen: new Set<number>() }])) as Record<
  (typeof methods)[number],
  { recall20: number; ndcg10: number; seen: Set<number> }
>;
const popScores = Float32Array.from(items.prior);
const adapters = new Map<string, UserAdapter>();
const adaptersNoLearning = new Map<string, UserAdapter>();
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
  const adapterNoLearning = adapterFor(user, NO_LEARNING);
  adaptersNoLearning.set(user, adapterNoLearning);
  const now = train.get(user)!.at(-1)!.at;
  const lists = {
    popularity: scoreList(Float32Array.from(popScores), allowed, 20),
    itemknn: easeLike(user, knnRow, allowed),
    ease: easeLike(user, easeRow, allowed),
    ease_recency: easeLike(user, easeRow, allowed, true),
    ours: rank({ items, collab, sequence, adapter, allowed, now, limit: 20, excludeSeen: false, explain: false }).map(
      (r) => r.index,
    ),
    ours_no_learning: rank({
      items,
      collab,
      sequence,
      adapter: adapterNoLearning,
      allowed,
      now,
      limit: 20,
      excludeSeen: false,
      explain: false,
    }).map((r) => r.index),
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
// score NDCG@10 against that block; then the block's events go to the online adapters (history and,
// when learning is on, SGD steps); the frozen adapter gets nothing (neither history nor learning).
// Three online variants: learning on throughout (shipped), learning off throughout (the ablation),
// and weights learned on the train period but frozen during the replay (history still recorded).
let online = 0;
let onlineNoLearning = 0;
let onlineWeightsFrozen = 0;
let frozen = 0;
let steps = 0;
const ndcgOf = (adapter: UserAdapter, allowed: Uint8Array, now: number, relevant: Set<number>) =>
  ndcgAt(
    10,
    rank({ items, collab, sequence, adapter, allowed, now, limit: 10, excludeSeen: false, explain: false }).map(
      (r) => r.index,
    ),
    relevant,
  );
for (const user of users) {
  const events = test.get(user)!;
  const live = adapters.get(user)!;
  const liveNoLearning = adaptersNoLearning.get(user)!;
  const still = decodeAdapter(user, encodeAdapter(live))!;
  const historyOnly = decodeAdapter(user, encodeAdapter(live), NO_LEARNING)!;
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
    online += ndcgOf(live, allowed, now, relevant);
    onlineNoLearning += ndcgOf(liveNoLearning, allowed, now, relevant);
    onlineWeightsFrozen += ndcgOf(historyOnly, allowed, now, relevant);
    frozen += ndcgOf(still, allowed, now, relevant);
    steps++;
    for (const r of block) {
      seen.add(r.item);
      for (const e of ratingEvents(r)) {
        live.update(e, lookup);
        liveNoLearning.update(e, lookup);
        historyOnly.update(e, lookup);
      }
    }
  }
}

const withL = summary('ours');
const withoutL = summary('ours_no_learning');
const replay = {
  online_ndcg10: round(online / steps),
  online_without_learning_ndcg10: round(onlineNoLearning / steps),
  online_weights_frozen_ndcg10: round(onlineWeightsFrozen / steps),
  frozen_ndcg10: round(frozen / steps),
  blocks_scored: steps,
};
const replayGain = online / steps - frozen / steps;
const result = {
  ours: withL,
  ease: summary('ease'),
  ease_recency: summary('ease_recency'),
  ours_over_ease: round(summary('ours').ndcg10 / summary('ease').ndcg10),
  ours_over_ease_recency: round(summary('ours').ndcg10 / summary('ease_recency').ndcg10),
  itemknn: summary('itemknn'),
  popularity: summary('popularity'),
  replay,
  adapter_ablation: {
    with_learning: { ...withL, replay_online_ndcg10: replay.online_ndcg10 },
    without_learning: { ...withoutL, replay_online_ndcg10: replay.online_without_learning_ndcg10 },
    gain: {
      recall20: round(withL.recall20 - withoutL.recall20),
      ndcg10: round(withL.ndcg10 - withoutL.ndcg10),
      replay_online_ndcg10: round((online - onlineNoLearning) / steps),
    },
    replay_gain_over_frozen: {
      with_learning: round(replayGain),
      without_learning: round((onlineNoLearning - frozen) / steps),
      share_without_learning: replayGain > 0 ? round((onlineNoLearning - frozen) / steps / replayGain) : null,
      weights_frozen: round((onlineWeightsFrozen - frozen) / steps),
      share_weights_frozen: replayGain > 0 ? round((onlineWeightsFrozen - frozen) / steps / replayGain) : null,
    },
    ease_ndcg10: summary('ease').ndcg10,
  },
  definitions: {
    ease_recency:
      `the same EASE model, the person's history weighted by recency ` +
      `(half-life ${RECENCY_HALF_LIFE_INTERACTIONS} interactions)`,
    ours:
      'shipped ranker: EASE + content profile from the history + per-user adapter trained online (SGD per event) ' +
      'on the train period',
    without_learning:
      'same run, same split and EASE model, adapter learning rate 0: history recorded, weights never move ' +
      '(learned correction = 0)',
    'replay.online_ndcg10': 'test period in 4 time blocks; after each block the adapter records it and learns from it',
    'replay.online_without_learning_ndcg10': 'same, adapter learning off throughout (train and test periods)',
    'replay.online_weights_frozen_ndcg10':
      'weights learned on the train period, then frozen; the test blocks only go into the history',
    'replay.frozen_ndcg10':
      'adapter as at the end of the train period, given no test events (neither history nor learning)',
    replay_gain_over_frozen:
      'online minus frozen; share_without_learning / share_weights_frozen = the part of that gain that remains ' +
      'with learning off throughout / during the replay only',
  },
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
const ab = result.adapter_ablation;
log(
  `adapter ablation: NDCG@10 ${ab.with_learning.ndcg10} with learning, ${ab.without_learning.ndcg10} without ` +
    `(gain ${ab.gain.ndcg10}; EASE ${ab.ease_ndcg10}); replay online ${replay.online_ndcg10} with learning, ` +
    `${replay.online_without_learning_ndcg10} without, frozen ${replay.frozen_ndcg10}: ` +
    `${ab.replay_gain_over_frozen.share_without_learning} of the replay-over-frozen gain remains without learning`,
);
if (!values.json) log(JSON.stringify(result, null, 2));
process.stdout.write(`${JSON.stringify(result)}\n`);
