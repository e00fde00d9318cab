import { CandidateSet } from './candidate-pool.ts';
import type { CollabIndex } from './collab-index.ts';
import { CONTENT_DIM } from './content-vectors.ts';
import { type RankContext, situationFit } from './context-rerank.ts';
import type { ItemTable } from './item-table.ts';
import type { ContentLookup, UserAdapter } from './user-adapter.ts';

export interface RankWeights {
  collab: number;
  content: number;
  trend: number;
  prior: number;
  fresh: number;
  /**
   * Content and prior count fully for a cold person and fade as `collabWarmup` history titles gain
   * collaborative rows.
   */
  collabWarmup: number;
  /**
   * Shape of that fade: content and prior are divided by 1 + (warm/collabWarmup)^power, so a
   * power above 1 keeps them for short histories and makes them vanish faster for long ones.
   */
  collabFadePower: number;
  /**
   * Popularity inside the collaborative channel. EASE read from a handful of titles favours their close
   * neighbours and under-ranks what most people go on to watch: after one liked title the list scored
   * below plain popularity (issue 18's learning curve). This adds the prior while the person has
   * collaborative rows, fading as 1 / (1 + (warm/collabWarmup)^collabPriorFadePower). Nothing without
   * rows: then content carries the person, and a large prior would drown it. 0 = off.
   */
  collabPrior?: number;
  collabPriorFadePower?: number;
  /** Half-life (days) of history titles in the collaborative term; 0 = no fading. */
  collabHalfLifeDays: number;
  /**
   * Half-life in interactions: the person's k-th most recent title counts 2^(-k/h) in the collaborative
   * term (the order of a history carries signal that wall-clock age misses: issue 18). 0 = off.
   */
  collabHalfLifeInteractions?: number;
  /** What people watched next after the person's most recent titles (`trainTransitions`); 0 = off. */
  sequence?: number;
  /** Half-life in interactions of that: the newest title counts 1, the k-th newest 2^(-k/h). */
  sequenceHalfLife?: number;
  /** How much of the adapter's correction enters the person's vector (its norm is also capped at 1). */
  adapterScale: number;
  /**
   * History titles with a signal above this query the collaborative model. Slightly below 0 so a
   * title the person finished but rated low still says what they watch; a dislike (−1) does not.
   */
  collabMinWeight: number;
}

/**
 * Chosen on three validation folds carved from MovieLens TRAINING data (`npm run eval:recs-tune`);
 * see docs/decisions/0061 and 0064. `collabPrior` and its fade were chosen on the learning curve's
 * validation people as well (`npm run eval:recs-curve -- --validation`, decision 0111); `sequence` and
 * its half-life on the three folds (decision 0112).
 */
export const DEFAULT_WEIGHTS: RankWeights = {
  collab: 1,
  content: 0.2,
  trend: 0.3,
  prior: 0.02,
  fresh: 0.08,
  collabWarmup: 5,
  collabFadePower: 1,
  collabPrior: 1,
  collabPriorFadePower: 3,
  collabHalfLifeDays: 1500,
  collabHalfLifeInteractions: 10,
  adapterScale: 1,
  collabMinWeight: 0,
  sequence: 0.5,
  sequenceHalfLife: 2,
};

export type Reason =
  | { kind: 'liked'; titleId: string; title: string; strength: 'liked' | 'watched' | 'picked' }
  | { kind: 'trending'; platform: string; region: string }
  | { kind: 'new'; platform: string }
  | { kind: 'popular' };

export interface Ranked {
  index: number;
  score: number;
  reason: Reason;
}

export interface RankRequest {
  items: ItemTable;
  collab?: CollabIndex | undefined;
  /** "Watched next" rows (`trainTransitions`, same layout as EASE), queried from the newest titles. */
  sequence?: CollabIndex | undefined;
  adapter: UserAdapter;
  /** Cold start: titles picked at onboarding, used as history while the person has none. */
  seeds?: readonly string[] | undefined;
  /** 1 = may be recommended (available on the person's services in their region). */
  allowed?: Uint8Array | undefined;
  /** Global adapter: 0..1 trend per item index (only trending items present), with where it trends. */
  trend?:
    | { score: ReadonlyMap<number, number>; where: (i: number) => { platform: string; region: string } }
    | undefined;
  /** New on the person's services: the items, and the platform each is new on. */
  fresh?: { items: readonly number[]; platformOf: (i: number) => string | undefined } | undefined;
  context?: RankContext | undefined;
  now: number;
  limit: number;
  weights?: RankWeights | undefined;
  /** Skip titles already seen (finished, rated, liked, disliked). Default true. */
  excludeSeen?: boolean | undefined;
  /** Score every allowed item instead of the retrieved candidates (tests, small catalogs). */
  exhaustive?: boolean | undefined;
  /** Compute a reason per result (default true; offline evaluation turns it off). */
  explain?: boolean | undefined;
  /** Filled with how many titles were scored (benchmarks report it). */
  stats?: { scored: number } | undefined;
}

interface Scratch {
  collab: Float32Array;
  touched: CandidateSet;
  candidates: CandidateSet;
  skip: CandidateSet;
  u: Float32Array;
  p: Float32Array;
  neg: Float32Array;
  scores: Float32Array;
}
const scratches = new WeakMap<ItemTable, Scratch>();
/** Per-table work buffers: rank() is synchronous, so one set per table is never shared by two calls. */
function scratchFor(items: ItemTable): Scratch {
  let s = scratches.get(items);
  if (!s) {
    s = {
      collab: new Float32Array(items.size),
      touched: new CandidateSet(items.size),
      candidates: new CandidateSet(items.size),
      skip: new CandidateSet(items.size),
      u: new Float32Array(CONTENT_DIM),
      p: new Float32Array(CONTENT_DIM),
      neg: new Float32Array(CONTENT_DIM),
      scores: new Float32Array(items.size),
    };
    scratches.set(items, s);
  }
  return s;
}

/** How many candidates each retrieval source contributes (per requested result). */
const CONTENT_CANDIDATES_PER_RESULT = 25;
const MIN_CONTENT_CANDIDATES = 400;
const POPULAR_CANDIDATES = 100;
const MOOD_CANDIDATES = 200;
const EXPLAIN_ANCHORS = 300;
/**
 * Content likeness (cosine of unit vectors) a liked title needs to be named as the reason without a collaborative
 * link: titles of one genre score about 0.75–0.95 with each other, titles that share only an era or a person 0.2–0.35.
 */
const REASON_MIN_SIMILARITY = 0.4;

/**
 * Scores the person's candidates (collaborative neighbours of their history ∪ content buckets
 * near their vector ∪ trending ∪ new ∪ popular ∪ mood titles, all filtered to what they may
 * watch) and returns the top `limit` with the strongest reason for each.
 */
export function rank(req: RankRequest): Ranked[] {
  const { items, adapter, now } = req;
  const w = req.weights ?? DEFAULT_WEIGHTS;
  const n = items.size;
  const scratch = scratchFor(items);
  const { collab, touched, candidates, skip, u, p, neg } = scratch;
  const lookup: ContentLookup = {
    content: items.content,
    offsetOf: (id) => {
      const i = items.index.get(id);
      return i === undefined ? -1 : i * CONTENT_DIM;
    },
  };
  // History, or onboarding picks while there is none.
  let history = [...adapter.history.entries()].map(([id, h]) => ({ id, weight: h.weight, at: h.at, picked: false }));
  if (history.length === 0 && req.seeds?.length) {
    history = req.seeds.map((id) => ({ id, weight: 0.8, at: now, picked: true }));
    for (const s of history) adapter.history.set(s.id, { weight: s.weight, at: now, excluded: false });
    adapter.invalidateProfile();
  }
  const total = adapter.profile(lookup, now, p);
  for (const s of history) if (s.picked) adapter.history.delete(s.id);
  adapter.invalidateProfile();
  // Dislikes push down what resembles them; they must not pull up whatever is unlike them (after one disliked
  // horror series, a list of horror likes had flipped to children's animation). So the person's vector holds their
  // positive titles only, and the disliked ones become a penalty for similar titles (`dislikedSimilarity`).
  const disliked = negativeProfile(history, lookup, now, adapter.options.historyHalfLifeDays, total, neg);
  if (disliked) for (let d = 0; d < CONTENT_DIM; d++) p[d]! += neg[d]!;
  adapter.represent(p, u, w.adapterScale, 1);

  const halfLife = w.collabHalfLifeDays * 86_400_000;
  const orderHalfLife = w.collabHalfLifeInteractions ?? 0;
  // Newest first: a title's position in that order is its age in interactions.
  const recency =
    orderHalfLife > 0 ? [...history].sort((a, b) => b.at - a.at || a.id.localeCompare(b.id)).map((h) => h.id) : [];
  const ageOf = new Map(recency.map((id, k) => [id, k]));
  const anchors: Array<{ i: number; w: number; picked: boolean }> = [];
  let warm = 0;
  try {
    for (const h of history) {
      const i = items.index.get(h.id);
      if (i === undefined || h.weight <= w.collabMinWeight) continue;
      // EASE was fit on binary "interacted positively" rows, so it is queried the same way (1 per
      // title, optionally faded by age); how strong the signal was lives in the content/adapter term.
      let dw = halfLife > 0 ? 2 ** (-Math.max(0, now - h.at) / halfLife) : 1;
      if (orderHalfLife > 0) dw *= 2 ** (-(ageOf.get(h.id) ?? 0) / orderHalfLife);
      anchors.push({ i, w: h.weight * dw, picked: h.picked });
      if (req.collab && req.collab.rowOf[i]! >= 0) {
        req.collab.addRow(i, dw, collab, touched);
        warm++;
      }
    }
    addSequence(req, w, history, collab, touched);
    // Hybrid by evidence: content carries a cold person; once their history has collaborative
    // rows, co-watching is the better predictor and content steps back (the adapter stays in u).
    const fade = 1 + (warm / w.collabWarmup) ** (w.collabFadePower ?? 1);
    const contentWeight = w.content / fade;
    const collabPrior =
      warm > 0 ? (w.collabPrior ?? 0) / (1 + (warm / w.collabWarmup) ** (w.collabPriorFadePower ?? 1)) : 0;
    const priorWeight = w.prior / fade + collabPrior;
    const allowed = req.allowed;
    const ok = (i: number) => !allowed || allowed[i] === 1;
    if (req.exhaustive) {
      for (let j = 0; j < n; j++) if (ok(j)) candidates.add(j);
    } else {
      for (let k = 0; k < touched.size; k++) {
        const j = touched.list[k]!;
        if (ok(j)) candidates.add(j);
      }
      items.buckets.probe(
        u,
        Math.max(MIN_CONTENT_CANDIDATES, CONTENT_CANDIDATES_PER_RESULT * req.limit),
        allowed,
        candidates,
      );
      if (req.trend) for (const j of req.trend.score.keys()) if (ok(j)) candidates.add(j);
      if (req.fresh) for (const j of req.fresh.items) if (ok(j)) candidates.add(j);
      addPopular(items, allowed, POPULAR_CANDIDATES, candidates, undefined);
      if (req.context?.mood) {
        const boost = items.moodBoost(req.context.mood);
        addPopular(items, allowed, MOOD_CANDIDATES, candidates, (j) => boost[j]! > 0);
      }
    }
    const excludeSeen = req.excludeSeen ?? true;
    if (req.stats) req.stats.scored = candidates.size;
    const c = items.content;
    const scores = scratch.scores;
    // Titles never to show again (seen, or picked at onboarding), as marks over the item table.
    for (const h of history) {
      if (!h.picked && !(excludeSeen && adapter.excluded(h.id))) continue;
      const i = items.index.get(h.id);
      if (i !== undefined) skip.add(i);
    }
    const moodBoost = req.context?.mood ? items.moodBoost(req.context.mood) : undefined;
    const nudges =
      req.context && (req.context.device !== undefined || req.context.hour !== undefined)
        ? { device: req.context.device, hour: req.context.hour }
        : undefined;
    // With a device or hour, rank a shortlist first and let the situation reorder only that.
    const keep = nudges ? req.limit * SITUATION_SHORTLIST : req.limit;
    const top: number[] = [];
    for (let k = 0; k < candidates.size; k++) {
      const j = candidates.list[k]!;
      if (skip.has(j)) continue;
      let ct = 0;
      const off = j * CONTENT_DIM;
      for (let d = 0; d < CONTENT_DIM; d++) ct += u[d]! * c[off + d]!;
      if (disliked) ct -= dislikedSimilarity(neg, c, j);
      let s = w.collab * collab[j]! + priorWeight * items.prior[j]! + contentWeight * ct;
      if (req.trend) s += w.trend * (req.trend.score.get(j) ?? 0);
      if (req.fresh && req.fresh.platformOf(j) !== undefined) s += w.fresh;
      if (moodBoost) s += moodBoost[j]!;
      scores[j] = s;
      pushTop(top, scores, j, keep);
    }
    if (nudges) applySituation(items, top, scores, nudges, req.limit);
    return top.map((j) => ({
      index: j,
      score: scores[j]!,
      reason:
        req.explain === false ? { kind: 'popular' } : explain(req, j, collab, anchors, u, disliked ? neg : undefined),
    }));
  } finally {
    for (let k = 0; k < touched.size; k++) collab[touched.list[k]!] = 0;
    touched.clear();
    candidates.clear();
    skip.clear();
  }
}

/**
 * The disliked part of the person's profile: Σ |w|·decay·c over titles with a negative signal, divided like the
 * profile itself (so profile + this = the positive part alone). Written into `out`; false when nothing is disliked.
 */
function negativeProfile(
  history: ReadonlyArray<{ id: string; weight: number; at: number }>,
  lookup: ContentLookup,
  now: number,
  halfLifeDays: number,
  total: number,
  out: Float32Array,
): boolean {
  out.fill(0);
  let ref = now;
  for (const h of history) ref = Math.max(ref, h.at);
  const halfLife = halfLifeDays * 86_400_000;
  const norm = total > 0 ? Math.max(1, total) : 1;
  let any = false;
  for (const h of history) {
    if (h.weight >= 0) continue;
    const off = lookup.offsetOf(h.id);
    if (off < 0) continue;
    const f = (-h.weight * 2 ** ((h.at - ref) / halfLife)) / norm;
    for (let d = 0; d < CONTENT_DIM; d++) out[d]! += f * lookup.content[off + d]!;
    any = true;
  }
  return any;
}

/** How much title j resembles what the person disliked; nothing for a title unlike it (no bonus for being different). */
function dislikedSimilarity(neg: Float32Array, content: Float32Array, j: number): number {
  let s = 0;
  const off = j * CONTENT_DIM;
  for (let d = 0; d < CONTENT_DIM; d++) s += neg[d]! * content[off + d]!;
  return Math.max(s, 0);
}

/** Only the newest titles say what comes next. */
const SEQUENCE_RECENT = 20;

/**
 * Adds "what people watched next" after the person's newest positive titles into the collaborative
 * scores (so candidates and reasons come with it), scaled so it weighs `sequence` in the final score.
 */
function addSequence(
  req: RankRequest,
  w: RankWeights,
  history: ReadonlyArray<{ id: string; weight: number; at: number }>,
  collab: Float32Array,
  touched: CandidateSet,
): void {
  const weight = w.sequence ?? 0;
  if (!req.sequence || weight <= 0 || w.collab <= 0) return;
  const halfLife = w.sequenceHalfLife ?? 3;
  // History is oldest first; reversed and stably sorted, titles with the same time keep their arrival order.
  const newest = history
    .filter((h) => h.weight > w.collabMinWeight)
    .reverse()
    .sort((a, b) => b.at - a.at)
    .slice(0, SEQUENCE_RECENT);
  newest.forEach((h, age) => {
    const i = req.items.index.get(h.id);
    if (i !== undefined) req.sequence!.addRow(i, (weight / w.collab) * 2 ** (-age / halfLife), collab, touched);
  });
}

/** The shortlist the situation may reorder, as a multiple of the requested count. */
const SITUATION_SHORTLIST = 2;
/** The most a perfect (or worst) situational fit moves a title, as a share of the shortlist's score range. */
const SITUATION_SHARE = 0.25;

/**
 * Device and hour are guesses, so their nudge is relative: a share of the spread of the
 * shortlist's scores. They break near-ties (a short film late at night) but cannot push out a
 * title the person's own likes put near the top, whatever the catalog's score scale.
 */
function applySituation(
  items: ItemTable,
  top: number[],
  scores: Float32Array,
  ctx: Pick<RankContext, 'device' | 'hour'>,
  limit: number,
): void {
  if (top.length > 1) {
    const range = scores[top[0]!]! - scores[top[top.length - 1]!]!;
    for (const j of top) scores[j] = scores[j]! + SITUATION_SHARE * range * situationFit(items, j, ctx);
    top.sort((a, b) => scores[b]! - scores[a]!);
  }
  top.length = Math.min(top.length, limit);
}

/** The first `count` allowed items by popularity (that pass `filter`). */
function addPopular(
  items: ItemTable,
  allowed: Uint8Array | undefined,
  count: number,
  into: CandidateSet,
  filter: ((j: number) => boolean) | undefined,
): void {
  let added = 0;
  for (let k = 0; k < items.byPrior.length && added < count; k++) {
    const j = items.byPrior[k]!;
    if (allowed && allowed[j] !== 1) continue;
    if (filter && !filter(j)) continue;
    into.add(j);
    added++;
  }
}

/** Keeps `best` the indices of the k largest scores seen so far, best first. */
function pushTop(best: number[], scores: Float32Array, j: number, k: number): void {
  const s = scores[j]!;
  if (best.length === k && s <= scores[best[k - 1]!]!) return;
  let pos = best.length;
  while (pos > 0 && scores[best[pos - 1]!]! < s) pos--;
  best.splice(pos, 0, j);
  if (best.length > k) best.pop();
}

/** Indices of the k largest finite scores, best first. */
export function topK(scores: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j]!;
    if (s === Number.NEGATIVE_INFINITY) continue;
    if (best.length === k && s <= scores[best[k - 1]!]!) continue;
    let pos = best.length;
    while (pos > 0 && scores[best[pos - 1]!]! < s) pos--;
    best.splice(pos, 0, j);
    if (best.length > k) best.pop();
  }
  return best;
}

/** The biggest contributor wins: a history title (collaborative or content), a trend, newness, else popularity. */
function explain(
  req: RankRequest,
  j: number,
  collab: Float32Array,
  anchors: Array<{ i: number; w: number; picked: boolean }>,
  u: Float32Array,
  neg: Float32Array | undefined,
): Reason {
  const { items } = req;
  const w = req.weights ?? DEFAULT_WEIGHTS;
  const c = items.content;
  let personal = w.collab * collab[j]!;
  let ct = 0;
  for (let d = 0; d < CONTENT_DIM; d++) ct += u[d]! * c[j * CONTENT_DIM + d]!;
  if (neg) ct -= dislikedSimilarity(neg, c, j);
  personal += w.content * ct;
  const trend = req.trend ? w.trend * (req.trend.score.get(j) ?? 0) : 0;
  const freshPlatform = req.fresh?.platformOf(j);
  if (anchors.length > 0 && personal > 0 && personal >= trend) {
    let best = anchors[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    // The most recent anchors only: the reason should be a title the person remembers, and this
    // bounds the cost for long histories.
    for (let k = Math.max(0, anchors.length - EXPLAIN_ANCHORS); k < anchors.length; k++) {
      const a = anchors[k]!;
      let sim = 0;
      for (let d = 0; d < CONTENT_DIM; d++) sim += c[a.i * CONTENT_DIM + d]! * c[j * CONTENT_DIM + d]!;
      const together = req.collab?.weight(a.i, j) ?? 0;
      // "Because you liked X" only when X really explains the pick: people watch them together, or they resemble
      // each other. A faint likeness (a shared decade) had credited children's animation to a liked horror series.
      if (together <= 0 && sim < REASON_MIN_SIMILARITY) continue;
      const score = a.w * (w.content * sim + w.collab * together);
      if (score > bestScore) {
        bestScore = score;
        best = a;
      }
    }
    if (bestScore > 0) {
      return {
        kind: 'liked',
        titleId: items.ids[best.i]!,
        title: items.titles[best.i]!,
        strength: best.picked ? 'picked' : best.w >= 0.75 ? 'liked' : 'watched',
      };
    }
  }
  if (trend > 0.02 && req.trend) return { kind: 'trending', ...req.trend.where(j) };
  if (freshPlatform) return { kind: 'new', platform: freshPlatform };
  return { kind: 'popular' };
}
