/**
 * eval:search-like: how well "like X" finds what people who liked X also liked. Ground truth from MovieLens
 * ml-latest-small (ratings ≥ 4 are likes), joined to the real catalogs by IMDb id: for an anchor X liked by at least
 * 30 people, the relevant titles are the 20 catalog titles with the highest cosine of co-likes with X (at least 5
 * people liking both). The query is "like <X's title>"; anchors whose title the parser does not resolve to X are
 * left out (and counted). Anchors are split by a hash of their id into a tuning half and a held-out half: choose
 * on tuning, report held-out once. Prints JSON.
 *   npm run eval:search-like -- --datasets <dir> [--grid '[{"anchorGenres":0},{"anchorGenres":1}]']
 *     [--data-dir /tmp/mg-search-scratch] [--tuning-only]
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb } from '@media-gateway/db';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { type ChannelWeights, createSearchService, DEFAULT_WEIGHTS } from '../src/index.ts';
import { DEFAULT_SCRATCH, ensureScratchDb } from './build-scratch-db.ts';
import { csvRows, movieLensTitles, ndcg10 } from './movielens.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string' },
    grid: { type: 'string' },
    'data-dir': { type: 'string', default: DEFAULT_SCRATCH },
    'tuning-only': { type: 'boolean' },
  },
  strict: true,
});
const datasets = values.datasets ?? process.env['MG_DATASETS'];
if (!datasets) {
  console.error('eval:search-like needs --datasets <dir> (or MG_DATASETS)');
  process.exit(2);
}
const MIN_LIKERS = 30;
const MIN_CO_LIKES = 5;
const RELEVANT = 20;
const grid: Array<Partial<ChannelWeights>> = values.grid
  ? JSON.parse(values.grid)
  : [0, 0.5, 1, 2].map((anchorGenres) => ({ anchorGenres }));

await ensureScratchDb(datasets, values['data-dir']);
const db = await createDb({ dataDir: values['data-dir'] });
const svc = await createSearchService({ db, dataDir: values['data-dir'] });

// MovieLens likes, by catalog title (through IMDb ids).
const dir = join(datasets, 'movielens', 'ml-latest-small');
const titleOf = await movieLensTitles(db, datasets);
const likers = new Map<string, Set<string>>();
for (const r of csvRows(readFileSync(join(dir, 'ratings.csv'), 'utf8')).slice(1)) {
  if (Number(r[2]) < 4) continue;
  const id = titleOf(r[1] ?? '');
  if (!id) continue;
  const set = likers.get(id) ?? new Set<string>();
  set.add(r[0]!);
  likers.set(id, set);
}
const { rows: names } = await db.query<{ id: string; title: string }>('SELECT id, title FROM titles');
const nameOf = new Map(names.map((r) => [r.id, r.title]));

interface Anchor {
  id: string;
  query: string;
  relevant: Set<string>;
}
const anchors: Anchor[] = [];
for (const [x, xs] of likers) {
  if (xs.size < MIN_LIKERS) continue;
  const scored: Array<{ id: string; cos: number }> = [];
  for (const [y, ys] of likers) {
    if (y === x) continue;
    let co = 0;
    for (const u of ys) if (xs.has(u)) co++;
    if (co >= MIN_CO_LIKES) scored.push({ id: y, cos: co / Math.sqrt(xs.size * ys.size) });
  }
  scored.sort((a, b) => b.cos - a.cos || a.id.localeCompare(b.id));
  if (scored.length < 5) continue;
  anchors.push({
    id: x,
    query: `like ${nameOf.get(x)}`,
    relevant: new Set(scored.slice(0, RELEVANT).map((s) => s.id)),
  });
}
anchors.sort((a, b) => a.id.localeCompare(b.id));
const tuning = (a: Anchor) => createHash('sha1').update(`like:${a.id}`).digest()[0]! < 128;

// Only anchors the parser resolves to the right title measure the ranking (the rest measure the parser).
const resolved: Anchor[] = [];
let unresolved = 0;
for (const a of anchors) {
  const res = await svc.search({ query: a.query, limit: 1 });
  if (res.understood.like.some((l) => l.titleId === a.id)) resolved.push(a);
  else unresolved++;
}

async function score(weights: Partial<ChannelWeights>, set: readonly Anchor[]): Promise<number> {
  let sum = 0;
  for (const a of set) {
    const res = await svc.search({ query: a.query, limit: 10 }, { weights });
    sum += ndcg10(
      res.results.map((r) => r.id),
      a.relevant,
    );
  }
  return Math.round((sum / Math.max(1, set.length)) * 1e4) / 1e4;
}

const tuneSet = resolved.filter(tuning);
const heldSet = resolved.filter((a) => !tuning(a));
const tuned: Array<{ weights: Partial<ChannelWeights>; ndcg10: number }> = [];
for (const weights of grid) {
  tuned.push({ weights, ndcg10: await score(weights, tuneSet) });
  console.error('tuning', JSON.stringify(weights), tuned.at(-1)!.ndcg10);
}
const best = tuned.reduce((a, b) => (b.ndcg10 > a.ndcg10 ? b : a));
const out: Record<string, unknown> = {
  anchors: anchors.length,
  resolved: resolved.length,
  unresolved,
  tuning: { anchors: tuneSet.length, candidates: tuned },
  selected: { ...DEFAULT_WEIGHTS, ...best.weights },
};
if (!values['tuning-only'])
  out['held_out'] = {
    anchors: heldSet.length,
    selected: await score(best.weights, heldSet),
    shipped: await score({}, heldSet),
  };
console.log(JSON.stringify(out, null, 1));
await db.close();
