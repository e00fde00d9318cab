import { CONTENT_DIM } from './content-vectors.ts';
import { excludesTitle, type FeedbackEvent, signalWeight } from './event-signals.ts';
import { fnv1a, sigmoid } from './vector-math.ts';

const D = CONTENT_DIM;
export const ADAPTER_RANK = 4;
const R = ADAPTER_RANK;
/** θ = [A (D×R) | B (D×R) | δ (D)] */
const A_OFF = 0;
const B_OFF = D * R;
const DELTA_OFF = 2 * D * R;
export const PARAMS = 2 * D * R + D;
/**
 * History entries kept per person (oldest dropped first). 1,000 × ~29 bytes plus the 9 KB of
 * weights stays well under the 64 KB budget; 256 cut long-time users off from most of their taste.
 */
export const MAX_HISTORY = 1000;

export interface AdapterOptions {
  /** SGD step. */
  learningRate: number;
  /** Sharpness of the logistic link on the adapter score. */
  kappa: number;
  /** EWC strength: how much moving a weight that mattered before costs. */
  ewcLambda: number;
  /** Consolidate (anchor ← θ, Fisher ← γ·Fisher + recent) every this many events. */
  consolidateEvery: number;
  fisherDecay: number;
  /** Half-life of history weights, in days: recent taste counts more. */
  historyHalfLifeDays: number;
}

export const DEFAULT_ADAPTER_OPTIONS: AdapterOptions = {
  learningRate: 0.25,
  kappa: 3,
  ewcLambda: 40,
  consolidateEvery: 12,
  fisherDecay: 0.9,
  historyHalfLifeDays: 120,
};

export interface HistoryEntry {
  weight: number;
  at: number;
  /** The title should not be recommended again (finished, rated, liked or disliked). */
  excluded: boolean;
}

/** Looks up an item's content vector: returns the offset into `content`, or -1 when unknown. */
export interface ContentLookup {
  content: Float32Array;
  offsetOf(id: string): number;
}

/**
 * One person's adapter: their weighted history (the base model's view of them) plus a low-rank
 * correction u' = p + A(Bᵀp) + δ to their content-space representation p, trained online by SGD
 * on every event, with an online-EWC penalty λ·F⊙(θ − θ*) that makes moving the weights that
 * mattered for past preferences expensive, so a burst of events cannot overwrite long-term taste.
 */
export class UserAdapter {
  readonly theta = new Float32Array(PARAMS);
  readonly anchor = new Float32Array(PARAMS);
  readonly fisher = new Float32Array(PARAMS);
  readonly fisherAcc = new Float32Array(PARAMS);
  history = new Map<string, HistoryEntry>();
  events = 0;
  sinceConsolidation = 0;
  private readonly grad = new Float32Array(PARAMS);
  private readonly z = new Float32Array(R);
  private readonly stepP = new Float32Array(D);
  private readonly stepU = new Float32Array(D);

  constructor(
    readonly userId: string,
    readonly options: AdapterOptions = DEFAULT_ADAPTER_OPTIONS,
  ) {
    // LoRA-style start: A = 0 (no correction yet), B small and fixed per user so A gets a gradient.
    let h = fnv1a(userId);
    for (let i = 0; i < D * R; i++) {
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
      this.theta[B_OFF + i] = (h / 0xffffffff - 0.5) * 0.2;
    }
    this.anchor.set(this.theta);
  }

  /**
   * Running sums behind `profile`: Σ w·2^((at−ref)/H)·c and Σ |w|·2^((at−ref)/H) relative to a
   * reference time, so an event updates them in O(D) instead of re-reading the whole history.
   * Rebuilt from the history when the content lookup changes (a new catalog snapshot).
   */
  private sums: { lookup: ContentLookup; ref: number; s: Float64Array; t: number } | undefined;

  private sumsFor(lookup: ContentLookup): { lookup: ContentLookup; ref: number; s: Float64Array; t: number } {
    if (this.sums && this.sums.lookup === lookup) return this.sums;
    let ref = 0;
    for (const h of this.history.values()) ref = Math.max(ref, h.at);
    const sums = { lookup, ref, s: new Float64Array(D), t: 0 };
    this.sums = sums;
    for (const [id, h] of this.history) this.addToSums(sums, id, h, 1);
    return sums;
  }

  private addToSums(
    sums: { lookup: ContentLookup; ref: number; s: Float64Array; t: number },
    id: string,
    h: HistoryEntry,
    sign: 1 | -1,
  ): void {
    const off = sums.lookup.offsetOf(id);
    if (off < 0) return;
    const halfLife = this.options.historyHalfLifeDays * 86_400_000;
    const f = 2 ** ((h.at - sums.ref) / halfLife);
    sums.t += sign * Math.abs(h.weight) * f;
    const w = sign * h.weight * f;
    for (let d = 0; d < D; d++) sums.s[d]! += w * sums.lookup.content[off + d]!;
  }

  /** Call after changing `history` directly (decoding, temporary seeds): the sums are rebuilt on next use. */
  invalidateProfile(): void {
    this.sums = undefined;
  }

  /** p: the decayed, signed average of history content vectors. Written into `out`; returns Σ|w|. */
  profile(lookup: ContentLookup, now: number, out: Float32Array): number {
    const sums = this.sumsFor(lookup);
    const halfLife = this.options.historyHalfLifeDays * 86_400_000;
    const decay = 2 ** (-Math.max(0, now - sums.ref) / halfLife);
    const total = Math.max(0, sums.t * decay);
    const norm = total > 0 ? Math.max(1, total) : 1;
    for (let d = 0; d < D; d++) out[d] = total > 0 ? (sums.s[d]! * decay) / norm : 0;
    return total;
  }

  /**
   * u' = p + scale·c with the correction c = A(Bᵀp) + δ, written into `out` (length D). When
   * ranking, the correction's norm is capped at 1 (content vectors are unit length) so a long run of
   * SGD steps cannot drown the person's profile; training uses the raw correction.
   */
  represent(p: Float32Array, out: Float32Array, scale = 1, maxNorm = Number.POSITIVE_INFINITY): void {
    const t = this.theta;
    const z = this.z;
    for (let k = 0; k < R; k++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += t[B_OFF + d * R + k]! * p[d]!;
      z[k] = s;
    }
    let norm = 0;
    for (let d = 0; d < D; d++) {
      let s = t[DELTA_OFF + d]!;
      for (let k = 0; k < R; k++) s += t[A_OFF + d * R + k]! * z[k]!;
      out[d] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    // A correction that is not finite (an adapter stored before the EWC step was made stable,
    // decision 0064) is ignored rather than turning every score into NaN.
    if (!Number.isFinite(norm)) {
      out.set(p);
      return;
    }
    const f = scale * (norm > maxNorm ? maxNorm / norm : 1);
    for (let d = 0; d < D; d++) out[d] = p[d]! + f * out[d]!;
  }

  /** Applies one event: history first, then one SGD step of the adapter with the EWC pull. */
  update(event: FeedbackEvent, lookup: ContentLookup): void {
    const w = signalWeight(event.type, event.value);
    const prev = this.history.get(event.titleId);
    const weight = Math.max(-2, Math.min(2, (prev?.weight ?? 0) + w));
    const sums = this.sumsFor(lookup);
    if (prev) this.addToSums(sums, event.titleId, prev, -1);
    this.history.delete(event.titleId); // re-insert so Map order stays oldest → newest
    const entry = {
      weight,
      at: event.at,
      excluded: (prev?.excluded ?? false) || excludesTitle(event.type, event.value),
    };
    this.history.set(event.titleId, entry);
    this.addToSums(sums, event.titleId, entry, 1);
    if (event.type === 'watchlist_remove' && prev && !prev.excluded && weight <= 0) {
      this.addToSums(sums, event.titleId, entry, -1);
      this.history.delete(event.titleId);
    }
    if (this.history.size > MAX_HISTORY) {
      const oldest = this.history.keys().next().value!;
      this.addToSums(sums, oldest, this.history.get(oldest)!, -1);
      this.history.delete(oldest);
    }
    this.events++;
    const off = lookup.offsetOf(event.titleId);
    if (off < 0 || w === 0) return;
    this.step(lookup.content, off, w, lookup, event.at);
  }

  private step(content: Float32Array, off: number, w: number, lookup: ContentLookup, now: number): void {
    const { learningRate: lr, kappa, ewcLambda } = this.options;
    const t = this.theta;
    const p = this.stepP;
    this.profile(lookup, now, p);
    const u = this.stepU;
    this.represent(p, u);
    let s = 0;
    for (let d = 0; d < D; d++) s += u[d]! * content[off + d]!;
    const y = w > 0 ? 1 : 0;
    const dLds = kappa * Math.abs(w) * (sigmoid(kappa * s) - y);
    if (!Number.isFinite(dLds)) return;
    const g = this.grad;
    // z = Bᵀp, q = Aᵀc
    const z = new Float32Array(R);
    const q = new Float32Array(R);
    for (let k = 0; k < R; k++) {
      let zs = 0;
      let qs = 0;
      for (let d = 0; d < D; d++) {
        zs += t[B_OFF + d * R + k]! * p[d]!;
        qs += t[A_OFF + d * R + k]! * content[off + d]!;
      }
      z[k] = zs;
      q[k] = qs;
    }
    for (let d = 0; d < D; d++) {
      const c = content[off + d]!;
      for (let k = 0; k < R; k++) {
        g[A_OFF + d * R + k] = dLds * c * z[k]!;
        g[B_OFF + d * R + k] = dLds * p[d]! * q[k]!;
      }
      g[DELTA_OFF + d] = dLds * c;
    }
    const anchor = this.anchor;
    const fisher = this.fisher;
    for (let i = 0; i < PARAMS; i++) {
      const gi = g[i]!;
      this.fisherAcc[i]! += gi * gi;
      // The EWC pull is a spring towards the anchor; with an explicit step of lr·λ·F > 2 it
      // overshoots and θ oscillates to ±Infinity/NaN (it did for ~1 in 7 MovieLens people with
      // long histories, turning their ranking into noise). Capped at 1 it moves an important
      // weight at most back to its anchor: small F behaves as before, large F pins the weight.
      const pull = Math.min(1, lr * ewcLambda * fisher[i]!);
      t[i]! -= lr * gi + pull * (t[i]! - anchor[i]!);
    }
    if (++this.sinceConsolidation >= this.options.consolidateEvery) this.consolidate();
  }

  /** Online EWC: fold recent gradients into the Fisher estimate and move the anchor to θ. */
  consolidate(): void {
    const { fisherDecay } = this.options;
    const n = Math.max(1, this.sinceConsolidation);
    for (let i = 0; i < PARAMS; i++) {
      this.fisher[i] = fisherDecay * this.fisher[i]! + this.fisherAcc[i]! / n;
      this.fisherAcc[i] = 0;
    }
    this.anchor.set(this.theta);
    this.sinceConsolidation = 0;
  }

  excluded(id: string): boolean {
    return this.history.get(id)?.excluded ?? false;
  }
}
