/**
 * Weight tuning for the hybrid ranker on a validation split carved from TRAINING data only: each
 * person's training period (the oldest 80 % of their ratings) is split again in time, 80/20; EASE
 * is fit on the older part and every candidate weight setting is scored on the newer part. The test
 * period that `eval:recs` reports on is never read here.
 *
 *   npm run eval:recs-tune -- --datasets <dir> [--try '[{"content":0.5}, …]'] [--json]
 *
 * --try scores the given settings (each merged over the defaults) after the coordinate search.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CollabIndex } from '../src/collab-index.ts';
import { trainEase } from '../src/ease-trainer.ts';
import { ItemTable } from '../src/item-table.ts';
import { DEFAULT_WEIGHTS, rank, type RankWeights, topK } from '../src/ranker.ts';
import { UserAdapter } from '../src/user-adapter.ts';
import { loadMovieLens, type Rating, temporalSplit } from './movielens-loader.ts';
import { ndcgAt, recallAt } from './ranking-metrics.ts';
import { feedUser, lookupOf } from './replay-events.ts';

const { values } = parseArgs({ options: { datasets: { type: 'string' }, json: { type: 'boolean' }, try: { type: 'string' } }, strict: true });
const root = values.datasets ?? process.env['MG_DATASETS'];
const dir = root ? join(root, 'movielens', 'ml-latest-small') : '';
if (!root || !existsSync(join(dir, 'ratings.csv'))) {
  process.stderr.write(`eval:recs-tune: MovieLens not found under ${root ?? '(no --datasets / MG_DATASETS)'}/movielens/ml-latest-small\n`);
  process.exit(2);
}
const log = (m: string) => process.stderr.write(`${m}\n`);

const { movies, ratings } = loadMovieLens(dir);
const outer = temporalSplit(ratings);
// Validation: split every person's TRAIN period again; the outer test period stays untouched.
const fit = new Map<string, Rating[]>();
const valid = new Map<string, Rating[]>();
for (const [user, list] of outer.train) {
  const cut = Math.max(1, Math.floor(list.length * 0.8));
  fit.set(user, list.slice(0, cut));
  valid.set(user, list.slice(cut));
}
const counts = new Map<string, number>();
for (const list of fit.values()) for (const r of list) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
const items = new ItemTable(movies.map((m) => ({ ...m, popularity: Math.log1p(counts.get(m.id) ?? 0) })));
const ease = trainEase([...fit.values()].flat().map((r) => ({ user: r.user, item: r.item, weight: 1 })), { minCount: 10, lambda: 200, maxItems: 4000, topK: 0 });
const collab = new CollabIndex(ease, items);
const lookup = lookupOf(items);
const users = [...valid.keys()].filter((u) => (valid.get(u)?.length ?? 0) > 0);
const prepared = users.map((user) => {
  const adapter = new UserAdapter(user);
  feedUser(adapter, fit.get(user)!, lookup);
  const allowed = new Uint8Array(items.size).fill(1);
  for (const r of fit.get(user)!) { const i = items.index.get(r.item); if (i !== undefined) allowed[i] = 0; }
  const relevant = new Set(valid.get(user)!.map((r) => items.index.get(r.item)).filter((i): i is number => i !== undefined));
  return { adapter, allowed, relevant, now: fit.get(user)!.at(-1)!.at };
});
log(`validation: ${users.length} people, EASE on ${ease.items.length} items`);

function score(weights: RankWeights): { recall20: number; ndcg10: number } {
  let recall = 0;
  let ndcg = 0;
  for (const p of prepared) {
    const list = rank({ items, collab, adapter: p.adapter, allowed: p.allowed, now: p.now, limit: 20, excludeSeen: false, explain: false, weights }).map((r) => r.index);
    recall += recallAt(20, list, p.relevant);
    ndcg += ndcgAt(10, list, p.relevant);
  }
  return { recall20: recall / prepared.length, ndcg10: ndcg / prepared.length };
}

// The EASE baseline on the same validation split: the bar the issue sets (ours ≥ EASE on both).
let easeRecall = 0;
let easeNdcg = 0;
for (const p of prepared) {
  const acc = new Float32Array(items.size);
  for (const id of p.adapter.history.keys()) { const i = items.index.get(id); if (i !== undefined) collab.addRow(i, 1, acc); }
  const scores = new Float32Array(items.size).fill(Number.NEGATIVE_INFINITY);
  for (let c = 0; c < ease.items.length; c++) { const i = collab.colToItem[c]!; if (i >= 0 && p.allowed[i] === 1) scores[i] = acc[i]!; }
  const list = topK(scores, 20);
  easeRecall += recallAt(20, list, p.relevant) / prepared.length;
  easeNdcg += ndcgAt(10, list, p.relevant) / prepared.length;
}
log(`EASE on validation: recall20 ${easeRecall.toFixed(4)} ndcg10 ${easeNdcg.toFixed(4)}`);

// Coordinate search, one knob at a time around the current best. Objective: the worse of the two
// ratios to EASE, so a setting that buys recall with NDCG (or the reverse) does not win.
const grid: Partial<Record<keyof RankWeights, number[]>> = {
  collabMinWeight: [-0.5, 0],
  content: [0.05, 0.1, 0.2, 0.4, 0.6],
  collabWarmup: [1, 5, 20],
  collabHalfLifeDays: [0, 365, 1500],
  prior: [0, 0.02, 0.08],
  adapterScale: [0, 0.5, 1],
};
let best: RankWeights = { ...DEFAULT_WEIGHTS };
let bestScore = score(best);
const objective = (s: { recall20: number; ndcg10: number }) => Math.min(s.recall20 / easeRecall, s.ndcg10 / easeNdcg);
log(`start ${JSON.stringify(bestScore)}`);
for (const [key, options] of (values.try ? [] : Object.entries(grid)) as Array<[keyof RankWeights, number[]]>) {
  for (const v of options) {
    if (best[key] === v) continue;
    const candidate = { ...best, [key]: v };
    const s = score(candidate);
    log(`${key}=${v} → ${JSON.stringify(s)} (${objective(s).toFixed(4)})`);
    if (objective(s) > objective(bestScore) + 1e-5) { best = candidate; bestScore = s; log('  kept'); }
  }
}
for (const partial of values.try ? (JSON.parse(values.try) as Array<Partial<RankWeights>>) : []) {
  const candidate = { ...DEFAULT_WEIGHTS, ...partial };
  const s = score(candidate);
  log(`try ${JSON.stringify(partial)} → ${JSON.stringify(s)} (${objective(s).toFixed(4)})`);
  if (objective(s) > objective(bestScore) + 1e-5) { best = candidate; bestScore = s; log('  kept'); }
}
const round = (x: number) => Math.round(x * 1e4) / 1e4;
process.stdout.write(`${JSON.stringify({ best, validation: { recall20: round(bestScore.recall20), ndcg10: round(bestScore.ndcg10) }, validation_ease: { recall20: round(easeRecall), ndcg10: round(easeNdcg) }, people: users.length })}\n`);
