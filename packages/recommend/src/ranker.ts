import type { CollabIndex } from './collab-index.ts';
import { CONTENT_DIM } from './content-vectors.ts';
import { contextBoost, type RankContext } from './context-rerank.ts';
import type { ItemTable } from './item-table.ts';
import type { ContentLookup, UserAdapter } from './user-adapter.ts';

export interface RankWeights {
  collab: number;
  content: number;
  trend: number;
  prior: number;
  fresh: number;
  /** Content counts fully for a cold person and fades as `collabWarmup` history titles gain collaborative rows. */
  collabWarmup: number;
  /** Half-life (days) of history titles in the collaborative term. */
  collabHalfLifeDays: number;
}

export const DEFAULT_WEIGHTS: RankWeights = {
  collab: 1, content: 0.6, trend: 0.3, prior: 0.08, fresh: 0.08, collabWarmup: 5, collabHalfLifeDays: 365,
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
  adapter: UserAdapter;
  /** Cold start: titles picked at onboarding, used as history while the person has none. */
  seeds?: readonly string[] | undefined;
  /** 1 = may be recommended (available on the person's services in their region). */
  allowed?: Uint8Array | undefined;
  /** Global adapter: 0..1 trend per item, with where it trends. */
  trend?: { score: Float32Array; where: (i: number) => { platform: string; region: string } } | undefined;
  /** New on the person's services: platform id per item, or undefined. */
  fresh?: ((i: number) => string | undefined) | undefined;
  context?: RankContext | undefined;
  now: number;
  limit: number;
  weights?: RankWeights | undefined;
  /** Skip titles already seen (finished, rated, liked, disliked). Default true. */
  excludeSeen?: boolean | undefined;
}

/** Scores every allowed item and returns the top `limit` with the strongest reason for each. */
export function rank(req: RankRequest): Ranked[] {
  const { items, adapter, now } = req;
  const w = req.weights ?? DEFAULT_WEIGHTS;
  const n = items.size;
  const lookup: ContentLookup = { content: items.content, offsetOf: (id) => { const i = items.index.get(id); return i === undefined ? -1 : i * CONTENT_DIM; } };
  // History, or onboarding picks while there is none.
  let history = [...adapter.history.entries()].map(([id, h]) => ({ id, weight: h.weight, at: h.at, picked: false }));
  if (history.length === 0 && req.seeds?.length) {
    history = req.seeds.map((id) => ({ id, weight: 0.8, at: now, picked: true }));
    for (const s of history) adapter.history.set(s.id, { weight: s.weight, at: now, excluded: false });
  }
  const p = new Float32Array(CONTENT_DIM);
  adapter.profile(lookup, now, p);
  for (const s of history) if (s.picked) adapter.history.delete(s.id);
  const u = new Float32Array(CONTENT_DIM);
  adapter.represent(p, u);

  const halfLife = w.collabHalfLifeDays * 86_400_000;
  const anchors: Array<{ i: number; w: number; picked: boolean }> = [];
  const collab = new Float32Array(n);
  let warm = 0;
  for (const h of history) {
    const i = items.index.get(h.id);
    if (i === undefined) continue;
    if (h.weight <= 0) continue;
    // EASE was fit on binary "interacted positively" rows, so it is queried the same way (1 per
    // title, faded by age); how strong the signal was lives in the content/adapter term.
    const dw = 2 ** (-Math.max(0, now - h.at) / halfLife);
    anchors.push({ i, w: h.weight * dw, picked: h.picked });
    req.collab?.addRow(i, dw, collab);
    if (req.collab && req.collab.rowOf[i]! >= 0) warm++;
  }
  // Hybrid by evidence: content carries a cold person; once their history has collaborative
  // rows, co-watching is the better predictor and content steps back (the adapter stays in u).
  const contentWeight = w.content / (1 + warm / w.collabWarmup);
  const priorWeight = w.prior / (1 + warm / w.collabWarmup);
  const excludeSeen = req.excludeSeen ?? true;
  const scores = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
  const c = items.content;
  for (let j = 0; j < n; j++) {
    if (req.allowed && req.allowed[j] !== 1) continue;
    let s = w.collab * collab[j]! + priorWeight * items.prior[j]!;
    let ct = 0;
    const off = j * CONTENT_DIM;
    for (let d = 0; d < CONTENT_DIM; d++) ct += u[d]! * c[off + d]!;
    s += contentWeight * ct;
    if (req.trend) s += w.trend * req.trend.score[j]!;
    if (req.fresh && req.fresh(j) !== undefined) s += w.fresh;
    if (req.context) s += contextBoost(items, j, req.context);
    scores[j] = s;
  }
  if (excludeSeen) for (const [id, h] of adapter.history) if (h.excluded) { const i = items.index.get(id); if (i !== undefined) scores[i] = Number.NEGATIVE_INFINITY; }
  for (const h of history) if (h.picked) { const i = items.index.get(h.id); if (i !== undefined) scores[i] = Number.NEGATIVE_INFINITY; }
  const top = topK(scores, req.limit);
  return top.map((j) => ({ index: j, score: scores[j]!, reason: explain(req, j, collab, anchors, u) }));
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
function explain(req: RankRequest, j: number, collab: Float32Array, anchors: Array<{ i: number; w: number; picked: boolean }>, u: Float32Array): Reason {
  const { items } = req;
  const w = req.weights ?? DEFAULT_WEIGHTS;
  const c = items.content;
  let personal = w.collab * collab[j]!;
  let ct = 0;
  for (let d = 0; d < CONTENT_DIM; d++) ct += u[d]! * c[j * CONTENT_DIM + d]!;
  personal += w.content * ct;
  const trend = req.trend ? w.trend * req.trend.score[j]! : 0;
  const freshPlatform = req.fresh?.(j);
  if (anchors.length > 0 && personal > 0 && personal >= trend) {
    let best = anchors[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const a of anchors) {
      let sim = 0;
      for (let d = 0; d < CONTENT_DIM; d++) sim += c[a.i * CONTENT_DIM + d]! * c[j * CONTENT_DIM + d]!;
      const score = a.w * (w.content * sim + w.collab * (req.collab?.weight(a.i, j) ?? 0));
      if (score > bestScore) { bestScore = score; best = a; }
    }
    if (bestScore > 0) {
      return { kind: 'liked', titleId: items.ids[best.i]!, title: items.titles[best.i]!, strength: best.picked ? 'picked' : best.w >= 0.75 ? 'liked' : 'watched' };
    }
  }
  if (trend > 0.02 && req.trend) return { kind: 'trending', ...req.trend.where(j) };
  if (freshPlatform) return { kind: 'new', platform: freshPlatform };
  return { kind: 'popular' };
}
