/**
 * Does the per-user adapter earn its place? (issue 18) On MovieLens ml-latest-small, a fifth of the
 * people (by a hash of their id, each with at least 40 ratings) are held out of training entirely.
 * For each of them, their first k ratings (k = 0, 1, 3, 5, 10, 20) are revealed in time order and
 * NDCG@10 is measured on the same target for every k: all their ratings after the 20th.
 *   (a) frozen: base model + the k events as history, adapter learning off (learning rate 0);
 *   (b) online: base model + the adapter learning from each of the k events (the shipped path);
 *   (c) ease_refit: EASE retrained on everyone else plus every held-out person's first k events
 *       (the offline upper reference), scored from the person's k items;
 *   ease_fold_in: EASE of everyone else only, scored from the same k items;
 *   popularity: the most rated titles the person has not rated yet (no model of them at all). On this data it
 *       beats every personal arm up to k = 10: the first ratings are a sign-up page (decision 0111).
 * `--validation` measures on a quarter of the TRAINING people instead (the test people are left out
 * entirely): tune there, report the test split once.
 * `--after-first-session`: a person's first session (ratings less than an hour apart, from their first) is the
 * sign-up page, ordered by the page rather than by taste (decision 0111). With this flag that session is given to
 * every arm as onboarding, and k counts the ratings after it; only people with at least 40 of those take part.
 * `--condensed`: the person's ratings between the k-th and the target (the 21st) are neither revealed nor scored, so
 * by default a list that names them (a correct guess of what they rate next) counts them as misses. With this flag
 * they are left out of every arm's list, as unjudged items are in a condensed list (decision 0111, session 17).
 * Every run also reports `hindsight_best`: per person, the better of frozen and popularity, chosen by looking at the
 * target. Not a method: the most any per-person choice between the model and popularity could reach.
 * `--hindsight-prior 0,0.5,1,2,4,8` adds `hindsight_prior_weight`: per person, the best of the frozen lists with the
 * popularity terms scaled by each factor, chosen by looking at the target (a bound on a per-person blend weight).
 * Prints JSON.
 *   npm run eval:recs-curve -- --datasets <dir> [--validation] [--after-first-session] [--condensed]
 *     [--weights '{"prior":0.5}']
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { CollabIndex } from '../src/collab-index.ts';
import { type EaseModel, trainEase } from '../src/ease-trainer.ts';
import { ItemTable } from '../src/item-table.ts';
import { DEFAULT_WEIGHTS, type RankWeights, rank, topK } from '../src/ranker.ts';
import { trainTransitions } from '../src/transitions.ts';
import { DEFAULT_ADAPTER_OPTIONS, UserAdapter } from '../src/user-adapter.ts';
import { loadMovieLens, type Rating } from './movielens-loader.ts';
import { ndcgAt } from './ranking-metrics.ts';
import { lookupOf, ratingEvents } from './replay-events.ts';

const { values } = scriptArgs(import.meta.url, {
  options: {
    datasets: { type: 'string' },
    weights: { type: 'string' },
    validation: { type: 'boolean' },
    'after-first-session': { type: 'boolean' },
    condensed: { type: 'boolean' },
    'hindsight-prior': { type: 'string' },
  },
  strict: true,
});
/** --weights '{"prior":0.5}': ranker weights merged over the defaults (to study the curve; tune elsewhere). */
const weights = { ...DEFAULT_WEIGHTS, ...(values.weights ? (JSON.parse(values.weights) as Partial<RankWeights>) : {}) };
const root = values.datasets ?? process.env['MG_DATASETS'];
const dir = root ? join(root, 'movielens', 'ml-latest-small') : '';
if (!root || !existsSync(join(dir, 'ratings.csv'))) {
  process.stderr.write(`eval:recs-curve: MovieLens not found under ${root ?? '(no --datasets / MG_DATASETS)'}\n`);
  process.exit(2);
}
const KS = [0, 1, 3, 5, 10, 20] as const;
const TARGET_FROM = 20;
const MIN_RATINGS = 40;
const EASE_OPTIONS = { minCount: 10, lambda: 200, maxItems: 4000, topK: 0 };
const started = performance.now();

const { movies, ratings } = loadMovieLens(dir);
const byUser = new Map<string, Rating[]>();
for (const r of ratings) {
  const list = byUser.get(r.user) ?? [];
  list.push(r);
  byUser.set(r.user, list);
}
const hashByte = (salt: string, user: string) => createHash('sha1').update(`${salt}:${user}`).digest()[0]!;
const testPerson = (user: string) => hashByte('curve', user) < 52; // ~20 %
// --validation: the test people are left out entirely; a quarter of the others stand in for them (tuning).
const heldOut = values.validation
  ? (user: string) => !testPerson(user) && hashByte('curve-validation', user) < 64
  : testPerson;
/** Ratings less than this apart belong to one session. */
const SESSION_GAP_MS = 3_600_000;
/** The onboarding every arm is given before the k revealed events: the first session, or nothing. */
function onboardingOf(list: readonly Rating[]): readonly Rating[] {
  if (!values['after-first-session']) return [];
  let end = 1;
  while (end < list.length && list[end]!.at - list[end - 1]!.at < SESSION_GAP_MS) end++;
  return list.slice(0, end);
}
/** What k counts in, and what is scored: the ratings after the onboarding. */
const afterOnboarding = (list: readonly Rating[]) => list.slice(onboardingOf(list).length);
const test = [...byUser.keys()].filter((u) => heldOut(u) && afterOnboarding(byUser.get(u)!).length >= MIN_RATINGS);
const trainUsers = [...byUser.keys()].filter((u) => !heldOut(u) && !testPerson(u));
const counts = new Map<string, number>();
for (const u of trainUsers) for (const r of byUser.get(u)!) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
const items = new ItemTable(movies.map((m) => ({ ...m, popularity: Math.log1p(counts.get(m.id) ?? 0) })));
const n = items.size;
const lookup = lookupOf(items);
const implicit = (list: readonly Rating[]) => list.map((r) => ({ user: r.user, item: r.item, weight: 1 }));
const others = trainUsers.flatMap((u) => implicit(byUser.get(u)!));

function easeScores(ease: EaseModel, history: readonly Rating[], allowed: Uint8Array): number[] {
  const col = new Map(ease.items.map((id, i) => [id, i]));
  const acc = new Float32Array(ease.items.length);
  for (const r of history) {
    const a = col.get(r.item);
    if (a === undefined) continue;
    for (let p = ease.ptr[a]!; p < ease.ptr[a + 1]!; p++) acc[ease.idx[p]!]! += ease.val[p]!;
  }
  const scores = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
  // Without history every EASE score is 0: fall back to popularity so k = 0 is not a random list.
  ease.items.forEach((id, c) => {
    const i = items.index.get(id)!;
    scores[i] = history.length > 0 ? acc[c]! : items.prior[i]!;
  });
  for (let j = 0; j < n; j++) if (allowed[j] !== 1) scores[j] = Number.NEGATIVE_INFINITY;
  return topK(scores, 10);
}

const base = trainEase(others, EASE_OPTIONS);
const collab = new CollabIndex(base, items);
// "Watched next" from everyone else's histories (decision 0112); a person's own k events only query it.
const sequence = new CollabIndex(trainTransitions(trainUsers.map((u) => byUser.get(u)!.map((r) => r.item))), items);
/** --hindsight-prior 0,0.5,1,2,4,8: factors on the popularity terms (`prior`, `collabPrior`) for that bound. */
const priorFactors = values['hindsight-prior']?.split(',').map(Number) ?? [];
const ARMS = [
  'frozen',
  'online',
  'ease_refit',
  'ease_fold_in',
  'popularity',
  'hindsight_best',
  ...(priorFactors.length ? (['hindsight_prior_weight'] as const) : []),
] as const;
const sums = Object.fromEntries(ARMS.map((m) => [m, KS.map(() => 0)])) as Record<(typeof ARMS)[number], number[]>;

KS.forEach((k, ki) => {
  const revealedOf = (user: string) => {
    const list = byUser.get(user)!;
    return [...onboardingOf(list), ...afterOnboarding(list).slice(0, k)];
  };
  const refit = test.every((u) => revealedOf(u).length === 0)
    ? base
    : trainEase([...others, ...test.flatMap((u) => implicit(revealedOf(u)))], EASE_OPTIONS);
  for (const user of test) {
    const list = afterOnboarding(byUser.get(user)!);
    const revealed = revealedOf(user);
    const target = new Set(
      list
        .slice(TARGET_FROM)
        .map((r) => items.index.get(r.item)!)
        .filter((i) => i !== undefined),
    );
    const allowed = new Uint8Array(n).fill(1);
    const unjudged = values.condensed ? list.slice(k, TARGET_FROM) : [];
    for (const r of [...revealed, ...unjudged]) {
      const i = items.index.get(r.item);
      if (i !== undefined) allowed[i] = 0;
    }
    const now = list[TARGET_FROM]!.at;
    const adapters = {
      frozen: new UserAdapter(user, { ...DEFAULT_ADAPTER_OPTIONS, learningRate: 0 }),
      online: new UserAdapter(user),
    };
    for (const r of revealed)
      for (const e of ratingEvents(r)) {
        adapters.frozen.update(e, lookup);
        adapters.online.update(e, lookup);
      }
    let frozenNdcg = 0;
    for (const m of ['frozen', 'online'] as const) {
      const ranked = rank({
        items,
        collab,
        sequence,
        adapter: adapters[m],
        allowed,
        now,
        limit: 10,
        excludeSeen: false,
        explain: false,
        weights,
      });
      const ndcg = ndcgAt(
        10,
        ranked.map((r) => r.index),
        target,
      );
      sums[m][ki]! += ndcg;
      if (m === 'frozen') frozenNdcg = ndcg;
    }
    if (priorFactors.length) {
      let best = 0;
      for (const f of priorFactors) {
        const scaled = { ...weights, prior: weights.prior * f, collabPrior: (weights.collabPrior ?? 0) * f };
        const list = rank({
          ...{ items, collab, sequence, adapter: adapters.frozen, allowed, now },
          ...{ limit: 10, excludeSeen: false, explain: false, weights: scaled },
        });
        best = Math.max(
          best,
          ndcgAt(
            10,
            list.map((r) => r.index),
            target,
          ),
        );
      }
      sums.hindsight_prior_weight![ki]! += best;
    }
    sums.ease_refit[ki]! += ndcgAt(10, easeScores(refit, revealed, allowed), target);
    sums.ease_fold_in[ki]! += ndcgAt(10, easeScores(base, revealed, allowed), target);
    // The catalog's popularity order, the person's revealed titles left out.
    const popular: number[] = [];
    for (let p = 0; p < items.byPrior.length && popular.length < 10; p++)
      if (allowed[items.byPrior[p]!] === 1) popular.push(items.byPrior[p]!);
    const popularity = ndcgAt(10, popular, target);
    sums.popularity[ki]! += popularity;
    sums.hindsight_best[ki]! += Math.max(frozenNdcg, popularity);
  }
  process.stderr.write(`k = ${k} done\n`);
});

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const curve = Object.fromEntries(
  Object.entries(sums).map(([m, s]) => [
    m,
    Object.fromEntries(KS.map((k, i) => [`k${k}`, round(s[i]! / test.length)])),
  ]),
);
const ratio = (arm: (typeof ARMS)[number], k: number) => {
  const i = KS.indexOf(k as (typeof KS)[number]);
  return round(sums[arm][i]! / sums.frozen[i]!);
};
process.stdout.write(
  `${JSON.stringify(
    {
      held_out_people: test.length,
      ndcg10_by_k: curve,
      online_over_frozen: { k5: ratio('online', 5), k10: ratio('online', 10) },
      hindsight_best_over_frozen: { k5: ratio('hindsight_best', 5), k10: ratio('hindsight_best', 10) },
      ...(priorFactors.length
        ? {
            hindsight_prior_weight_over_frozen: {
              k5: ratio('hindsight_prior_weight', 5),
              k10: ratio('hindsight_prior_weight', 10),
            },
          }
        : {}),
      setup: {
        split: values.validation ? 'validation (training people only)' : 'test',
        onboarding: values['after-first-session']
          ? 'the first session (ratings < 1 h apart) is given to every arm; k counts the ratings after it'
          : 'none: k counts from the first rating',
        target:
          `every rating after the ${TARGET_FROM}th` +
          `${values['after-first-session'] ? ' after the first session' : ''}`,
        unjudged: values.condensed
          ? `left out of every list: the ratings between the k-th and the ${TARGET_FROM + 1}st (condensed lists)`
          : `counted as misses when listed: the ratings between the k-th and the ${TARGET_FROM + 1}st`,
        hindsight_best: 'per person, the better of frozen and popularity, chosen by looking at the target (a bound)',
        ...(priorFactors.length
          ? {
              hindsight_prior_weight: `per person, the best frozen list with prior and collabPrior scaled by ${priorFactors.join(
                ', ',
              )}, chosen by looking at the target (a bound on learning that weight per person)`,
            }
          : {}),
        ease: EASE_OPTIONS,
        train_people: trainUsers.length,
        seconds: round((performance.now() - started) / 1000),
      },
    },
    null,
    1,
  )}\n`,
);
