/**
 * Personal ranking in search (issue 18, decision 0056), measured on MovieLens users' own tags:
 * the query is a tag a person gave, the relevant titles are the films they gave it to (joined to
 * our catalog by IMDb id), and their history is what they rated before their first tag. Every
 * other person's ratings train the collaborative model. nDCG@10 with and without the person's
 * taste, for several weights, averaged per person then over people. Cross-validated over two folds
 * of people (by a hash of their id): the weight is chosen on one fold and reported on the other. JSON.
 *
 *   npm run eval:search-personal -- --datasets ../shared/datasets [--data-dir /tmp/mg-search-scratch]
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { createDb } from '@media-gateway/db';
import { type EventInput, RecommenderService } from '@media-gateway/recommend';
import { createSearchService, PERSONAL_POOL } from '@media-gateway/search';
import { DEFAULT_SCRATCH, ensureScratchDb } from '../../../packages/search/eval/build-scratch-db.ts';
import { percentile } from '../../../packages/search/bench/bench-queries.ts';
import { csvRows, movieLensTitles, ndcg10 } from '../../../packages/search/eval/movielens.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string', default: process.env['MG_DATASETS'] },
    'data-dir': { type: 'string', default: DEFAULT_SCRATCH },
    weights: { type: 'string', default: '0.25,0.5,0.75,1,1.5' },
    // Every case's query order (the pool personal ranking reorders), the person's affinities and the relevant
    // titles, as JSON lines: other blends can then be tried without running search again.
    dump: { type: 'string' },
  },
  strict: true,
});
if (!values.datasets) throw new Error('--datasets <dir> (or MG_DATASETS) is required');
const datasets = values.datasets;
await ensureScratchDb(datasets, values['data-dir']);
// The eval writes events and a model: work on a copy, never on the shared scratch catalog.
const work = `${values['data-dir']}-personal`;
if (existsSync(work)) rmSync(work, { recursive: true, force: true });
cpSync(values['data-dir'], work, { recursive: true });
const db = await createDb({ dataDir: work });

const META = /queue|watched|seen|to see|want to|dvd|bd-r|owned|library|imdb top|netflix|r\)|rated|oscar/;
const ml = join(datasets, 'movielens', 'ml-latest-small');
const titleOf = await movieLensTitles(db, datasets);

// Tags: (user, tag) → films, and each user's first tag time (their history ends there).
const cases = new Map<string, { user: string; tag: string; relevant: Set<string> }>();
const firstTag = new Map<string, number>();
for (const r of csvRows(readFileSync(join(ml, 'tags.csv'), 'utf8')).slice(1)) {
  const [user, movie, raw, ts] = r;
  const tag = (raw ?? '').trim().toLowerCase();
  const id = titleOf(movie ?? '');
  if (!user || !tag || !id || META.test(tag)) continue;
  const at = Number(ts) * 1000;
  firstTag.set(user, Math.min(firstTag.get(user) ?? Number.POSITIVE_INFINITY, at));
  const key = `${user}|${tag}`;
  const c = cases.get(key) ?? { user, tag, relevant: new Set<string>() };
  c.relevant.add(id);
  cases.set(key, c);
}

// Ratings as the events a person would send; a tagger's only up to their first tag, and never of a
// film they tagged (the answer must not be in the history that ranks it).
const taggedBy = new Map<string, Set<string>>();
for (const c of cases.values()) {
  const set = taggedBy.get(c.user) ?? new Set<string>();
  for (const id of c.relevant) set.add(id);
  taggedBy.set(c.user, set);
}
const byUser = new Map<string, EventInput[]>();
let mapped = 0;
for (const r of csvRows(readFileSync(join(ml, 'ratings.csv'), 'utf8')).slice(1)) {
  const [user, movie, rating, ts] = r;
  const id = titleOf(movie ?? '');
  if (!user || !id) continue;
  const at = Number(ts) * 1000;
  if (at >= (firstTag.get(user) ?? Number.POSITIVE_INFINITY) || taggedBy.get(user)?.has(id)) continue;
  const list = byUser.get(user) ?? [];
  const iso = new Date(at).toISOString();
  list.push({ id: `c${movie}`, type: 'complete', titleId: id, at: iso });
  list.push({
    id: `r${movie}`,
    type: 'rating',
    titleId: id,
    value: Math.min(5, Math.max(1, Math.round(Number(rating)))),
    at: iso,
  });
  byUser.set(user, list);
  mapped++;
}
const recommender = new RecommenderService(db);
const audience = { region: 'US', services: [] as string[] };
for (const [user, events] of byUser) {
  const sorted = events.sort((a, b) => (a.at! < b.at! ? -1 : 1));
  for (let i = 0; i < sorted.length; i += 500)
    await recommender.recordEvents(`ml${user}`, audience, sorted.slice(i, i + 500));
}
const trained = await recommender.retrain();
console.error('recorded', mapped, 'ratings of', byUser.size, 'people; model', JSON.stringify(trained));

const search = await createSearchService({ db });
// A case counts when the person has history and the tag names at least one film they did not rate before.
const usable = [...cases.values()].filter((c) => (byUser.get(c.user)?.length ?? 0) >= 2);
const weights = values.weights.split(',').map(Number);
const keys = ['plain', 'plain_same_pool', ...weights.map((w) => `w${w}`)];
// nDCG@10 of every case under every setting; a person's figure is the mean of their cases, and the
// summary is the mean over people (a few people gave most of the tags: per-case means are theirs).
const perPerson = new Map<string, Array<Record<string, number>>>();
const dumped: string[] = [];
// Time of each personal search (retrieval to the pool's depth, affinities, the blend).
const personalMs: number[] = [];
for (const c of usable) {
  const row: Record<string, number> = {
    plain: ndcg10(
      (await search.search({ query: c.tag, limit: 10 })).results.map((h) => h.id),
      c.relevant,
    ),
  };
  // The plain order at the depth a personal search ranks to (its whole pool, weight 0): what taste alone adds.
  const samePool = await search.search({
    query: c.tag,
    limit: 10,
    personal: { weight: 0, affinity: async () => new Map() },
  });
  row['plain_same_pool'] = ndcg10(
    samePool.results.map((h) => h.id),
    c.relevant,
  );
  for (const w of weights) {
    const started = performance.now();
    const res = await search.search({
      query: c.tag,
      limit: 10,
      personal: {
        weight: w,
        affinity: async (ids) => {
          const affinity = await recommender.affinity(`ml${c.user}`, ids);
          // The pool and affinities are the same for every weight: dumped once, with the first.
          if (values.dump && w === weights[0])
            dumped.push(
              JSON.stringify({
                user: c.user,
                tag: c.tag,
                relevant: [...c.relevant],
                pool: ids,
                affinity: [...affinity],
              }),
            );
          return affinity;
        },
      },
    });
    personalMs.push(performance.now() - started);
    row[`w${w}`] = ndcg10(
      res.results.map((h) => h.id),
      c.relevant,
    );
  }
  perPerson.set(c.user, [...(perPerson.get(c.user) ?? []), row]);
}
const personMeans = [...perPerson].map(([user, rows]) => ({
  user,
  means: Object.fromEntries(keys.map((k) => [k, rows.reduce((s, r) => s + r[k]!, 0) / rows.length])),
}));
const round = (x: number) => Math.round(x * 10000) / 10000;
const average = (people: typeof personMeans) =>
  Object.fromEntries(keys.map((k) => [k, round(people.reduce((s, p) => s + p.means[k]!, 0) / people.length)]));
// Two folds of people by a hash of their id: the weight is chosen on one fold, reported on the other.
const fold = (user: string) => createHash('sha1').update(`personal-split:${user}`).digest()[0]! % 2;
const folds = [0, 1].map((f) => personMeans.filter((p) => fold(p.user) === f));
const best = (m: Record<string, number>) => weights.reduce((b, w) => (m[`w${w}`]! > m[`w${b}`]! ? w : b), weights[0]!);
const crossed = [0, 1].map((f) => {
  const chosen = best(average(folds[f]!));
  const held = average(folds[1 - f]!);
  return {
    chosen_on_fold: f,
    weight: chosen,
    people: folds[1 - f]!.length,
    plain: held['plain'],
    personal: held[`w${chosen}`],
  };
});
const all = average(personMeans);
personalMs.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      cases: usable.length,
      pool: PERSONAL_POOL,
      personal_search_ms: {
        p50: round(percentile(personalMs, 50)),
        p95: round(percentile(personalMs, 95)),
      },
      people: personMeans.length,
      ndcg10_mean_over_people: all,
      ratio_vs_plain_all_people: Object.fromEntries(
        weights.map((w) => [`w${w}`, round(all[`w${w}`]! / all['plain']!)]),
      ),
      ratio_vs_plain_same_pool: Object.fromEntries(
        weights.map((w) => [`w${w}`, round(all[`w${w}`]! / all['plain_same_pool']!)]),
      ),
      cross_validated: crossed,
      cross_validated_ratio: round(
        crossed.reduce((s, c) => s + c.personal! * c.people, 0) / crossed.reduce((s, c) => s + c.plain! * c.people, 0),
      ),
    },
    null,
    1,
  ),
);
if (values.dump) writeFileSync(values.dump, `${dumped.join('\n')}\n`);
await db.close();
rmSync(work, { recursive: true, force: true });
