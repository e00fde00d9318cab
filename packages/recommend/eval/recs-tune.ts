/**
 * Weight tuning for the hybrid ranker on validation folds carved from TRAINING data only: each
 * person's training period (the oldest 80 % of their ratings) is cut again in time at several
 * points (default 70 %, 80 %, 90 %); per fold EASE is fit on the part before the cut and every
 * candidate setting is scored on the part after it. A setting wins on the MEAN over folds of
 * min(recall/EASE recall, NDCG/EASE NDCG), so one lucky cut cannot pick it. The test period that
 * `eval:recs` reports on is never read here.
 *
 *   npm run eval:recs-tune -- --datasets <dir> [--folds 0.7,0.8,0.9] [--try '[{"content":0.5}, …]'] [--json]
 *
 * --try scores only the given settings (each merged over the defaults), no coordinate search.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { CollabIndex } from '../src/collab-index.ts';
import { trainEase } from '../src/ease-trainer.ts';
import { ItemTable } from '../src/item-table.ts';
import { DEFAULT_WEIGHTS, rank, type RankWeights, topK } from '../src/ranker.ts';
import { trainTransitions } from '../src/transitions.ts';
import { UserAdapter } from '../src/user-adapter.ts';
import { loadMovieLens, type Rating, temporalSplit } from './movielens-loader.ts';
import { ndcgAt, recallAt } from './ranking-metrics.ts';
import { feedUser, lookupOf } from './replay-events.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string' },
    json: { type: 'boolean' },
    try: { type: 'string' },
    folds: { type: 'string' },
  },
  strict: true,
});
const root = values.datasets ?? process.env['MG_DATASETS'];
const dir = root ? join(root, 'movielens', 'ml-latest-small') : '';
if (!root || !existsSync(join(dir, 'ratings.csv'))) {
  process.stderr.write(
    `eval:recs-tune: MovieLens not found under ${root ?? '(no --datasets / MG_DATASETS)'}/movielens/ml-latest-small\n`,
  );
  process.exit(2);
}
const log = (m: string) => process.stderr.write(`${m}\n`);

const { movies, ratings } = loadMovieLens(dir);
const outer = temporalSplit(ratings);
const cuts = (values.folds ?? '0.7,0.8,0.9').split(',').map(Number);
if (cuts.some((c) => !(c > 0 && c < 1))) {
  process.stderr.write('eval:recs-tune: --folds must be cut shares between 0 and 1, e.g. 0.7,0.8,0.9\n');
  process.exit(2);
}

interface Fold {
  cut: number;
  items: ItemTable;
  collab: CollabIndex;
  sequence: CollabIndex;
  prepared: Array<{ adapter: UserAdapter; allowed: Uint8Array; relevant: Set<number>; now: number }>;
  ease: { recall20: number; ndcg10: number };
}

/** One validation fold: every person's TRAIN period cut at `cut`; the outer test period stays untouched. */
function buildFold(cut: number): Fold {
  const fit = new Map<string, Rating[]>();
  const valid = new Map<string, Rating[]>();
  for (const [user, list] of outer.train) {
    const k = Math.max(1, Math.floor(list.length * cut));
    fit.set(user, list.slice(0, k));
    valid.set(user, list.slice(k));
  }
  const counts = new Map<string, number>();
  for (const list of fit.values()) for (const r of list) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
  const items = new ItemTable(movies.map((m) => ({ ...m, popularity: Math.log1p(counts.get(m.id) ?? 0) })));
  const ease = trainEase(
    [...fit.values()].flat().map((r) => ({ user: r.user, item: r.item, weight: 1 })),
    { minCount: 10, lambda: 200, maxItems: 4000, topK: 0 },
  );
  const collab = new CollabIndex(ease, items);
  const sequence = new CollabIndex(trainTransitions([...fit.values()].map((l) => l.map((r) => r.item))), items);
  const lookup = lookupOf(items);
  const users = [...valid.keys()].filter((u) => (valid.get(u)?.length ?? 0) > 0);
  const prepared = users.map((user) => {
    const adapter = new UserAdapter(user);
    feedUser(adapter, fit.get(user)!, lookup);
    const allowed = new Uint8Array(items.size).fill(1);
    for (const r of fit.get(user)!) {
      const i = items.index.get(r.item);
      if (i !== undefined) allowed[i] = 0;
    }
    const relevant = new Set(
      valid
        .get(user)!
        .map((r) => items.index.get(r.item))
        .filter((i): i is number => i !== undefined),
    );
    return { adapter, allowed, relevant, now: fit.get(user)!.at(-1)!.at };
  });
  // The EASE baseline exactly as eval:recs runs it: every rated title of the fit period, unweighted.
  let recall = 0;
  let ndcg = 0;
  for (const user of users) {
    const p = prepared[users.indexOf(user)]!;
    const acc = new Float32Array(items.size);
    for (const r of fit.get(user)!) {
      const i = items.index.get(r.item);
      if (i !== undefined && collab.rowOf[i]! >= 0) collab.addRow(i, 1, acc);
    }
    const scores = new Float32Array(items.size).fill(Number.NEGATIVE_INFINITY);
    for (let c = 0; c < ease.items.length; c++) {
      const i = collab.colToItem[c]!;
      if (i >= 0 && p.allowed[i] === 1) scores[i] = acc[i]!;
    }
    const list = topK(scores, 20);
    recall += recallAt(20, list, p.relevant);
    ndcg += ndcgAt(10, list, p.relevant);
  }
  const fold = {
    cut,
    items,
    collab,
    sequence,
    prepared,
    ease: { recall20: recall / users.length, ndcg10: ndcg / users.length },
  };
  log(
    `fold ${cut}: ${users.length} people, EASE on ${ease.items.length} items, ` +
      `EASE recall20 ${fold.ease.recall20.toFixed(4)} ndcg10 ${fold.ease.ndcg10.toFixed(4)}`,
  );
  return fold;
}
const folds = cuts.map(buildFold);

interface Scored {
  objective: number;
  perFold: Array<{ cut: number; recall20: number; ndcg10: number }>;
}
function score(weights: RankWeights): Scored {
  const perFold = folds.map((f) => {
    let recall = 0;
    let ndcg = 0;
    for (const p of f.prepared) {
      const list = rank({
        items: f.items,
        collab: f.collab,
        sequence: f.sequence,
        adapter: p.adapter,
        allowed: p.allowed,
        now: p.now,
        limit: 20,
        excludeSeen: false,
        explain: false,
        weights,
      }).map((r) => r.index);
      recall += recallAt(20, list, p.relevant);
      ndcg += ndcgAt(10, list, p.relevant);
    }
    return { cut: f.cut, recall20: recall / f.prepared.length, ndcg10: ndcg / f.prepared.length };
  });
  // Ratio to EASE per fold, the worse of the two metrics, averaged over folds: buying recall with
  // NDCG (or the reverse), or winning one fold only, does not win.
  const objective =
    perFold.reduce(
      (sum, s, k) => sum + Math.min(s.recall20 / folds[k]!.ease.recall20, s.ndcg10 / folds[k]!.ease.ndcg10),
      0,
    ) / folds.length;
  return { objective, perFold };
}
const show = (s: Scored) =>
  `${s.objective.toFixed(4)} [` +
  `${s.perFold.map((f) => `${f.cut}: r ${f.recall20.toFixed(4)} n ${f.ndcg10.toFixed(4)}`).join('; ')}]`;

// Coordinate search, one knob at a time around the current best.
const grid: Partial<Record<keyof RankWeights, number[]>> = {
  collabMinWeight: [-0.5, 0],
  collabHalfLifeDays: [0, 365, 1500, 4000],
  content: [0, 0.1, 0.2, 0.3, 0.4],
  collabWarmup: [2, 5, 12, 30],
  collabFadePower: [1, 2],
  prior: [0, 0.02, 0.08],
  adapterScale: [0, 0.5, 1],
};
let best: RankWeights = { ...DEFAULT_WEIGHTS };
let bestScore = score(best);
const defaults = bestScore;
log(`defaults → ${show(bestScore)}`);
for (const [key, options] of (values.try ? [] : Object.entries(grid)) as Array<[keyof RankWeights, number[]]>) {
  for (const v of options) {
    if (best[key] === v) continue;
    const candidate = { ...best, [key]: v };
    const s = score(candidate);
    log(`${key}=${v} → ${show(s)}`);
    if (s.objective > bestScore.objective + 1e-5) {
      best = candidate;
      bestScore = s;
      log('  kept');
    }
  }
}
for (const partial of values.try ? (JSON.parse(values.try) as Array<Partial<RankWeights>>) : []) {
  const candidate = { ...DEFAULT_WEIGHTS, ...partial };
  const s = score(candidate);
  log(`try ${JSON.stringify(partial)} → ${show(s)}`);
  if (s.objective > bestScore.objective + 1e-5) {
    best = candidate;
    bestScore = s;
    log('  kept');
  }
}
const round = (x: number) => Math.round(x * 1e4) / 1e4;
const figures = (s: Scored) => ({
  objective: round(s.objective),
  folds: s.perFold.map((f) => ({ cut: f.cut, recall20: round(f.recall20), ndcg10: round(f.ndcg10) })),
});
process.stdout.write(
  `${JSON.stringify({
    best,
    validation: figures(bestScore),
    defaults: figures(defaults),
    validation_ease: folds.map((f) => ({ cut: f.cut, recall20: round(f.ease.recall20), ndcg10: round(f.ease.ndcg10) })),
    people: folds.map((f) => f.prepared.length),
  })}\n`,
);
