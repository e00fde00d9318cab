/**
 * Pairwise precision/recall over clusterings, restricted to records the truth can judge (those
 * with an IMDb id). A predicted pair is correct when both records share the IMDb id; a true pair
 * is found when both records landed in the same predicted cluster. Counting uses cluster sizes,
 * so it is O(records), not O(pairs).
 */
export interface PairScore {
  precision: number;
  recall: number;
  f1: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

const sumPairs = (counts: Map<string, number>) => [...counts.values()].reduce((s, n) => s + pairs(n), 0);

/** `labels[i]` is the truth id of record i (undefined: not judged); `clusters[i]` its predicted cluster. */
export function scorePairs(labels: readonly (string | undefined)[], clusters: readonly string[]): PairScore {
  const judged: { truth: string; cluster: string }[] = [];
  labels.forEach((truth, i) => {
    if (truth !== undefined) judged.push({ truth, cluster: clusters[i]! });
  });
  const truePairs = sumPairs(countBy(judged, (j) => j.truth));
  const predictedPairs = sumPairs(countBy(judged, (j) => j.cluster));
  const correctPairs = sumPairs(countBy(judged, (j) => `${j.cluster}\u0000${j.truth}`));
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs, correctPairs };
}

export const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Score over pairs that cross two groups only (e.g. MovieLens ↔ JustWatch), by subtracting the
 * within-group pairs from the overall counts.
 */
export function scoreCrossPairs(
  labels: readonly (string | undefined)[],
  clusters: readonly string[],
  inGroupA: readonly boolean[],
): PairScore {
  const pick = (wantA: boolean) => {
    const l: (string | undefined)[] = [];
    const c: string[] = [];
    labels.forEach((truth, i) => {
      if (inGroupA[i] === wantA) {
        l.push(truth);
        c.push(clusters[i]!);
      }
    });
    return scorePairs(l, c);
  };
  const all = scorePairs(labels, clusters);
  const a = pick(true);
  const b = pick(false);
  const truePairs = all.truePairs - a.truePairs - b.truePairs;
  const predictedPairs = all.predictedPairs - a.predictedPairs - b.predictedPairs;
  const correctPairs = all.correctPairs - a.correctPairs - b.correctPairs;
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, truePairs, predictedPairs, correctPairs };
}

/**
 * Predicted cross-group pairs the two truth sources cannot judge: the records carry different
 * IMDb ids, A's id is on no record of group B and B's id on no record of group A, so neither
 * dataset can confirm the other. If such a pair is the same work, one dataset's id is wrong; if
 * not, it is a genuine homonym error. Reported separately, never silently dropped.
 */
export function unjudgeableCrossPairs(
  labels: readonly (string | undefined)[],
  clusters: readonly string[],
  inGroupA: readonly boolean[],
): number {
  const idsA = new Set<string>();
  const idsB = new Set<string>();
  labels.forEach((l, i) => {
    if (l !== undefined) (inGroupA[i] ? idsA : idsB).add(l);
  });
  const members = new Map<string, number[]>();
  labels.forEach((l, i) => {
    if (l !== undefined) members.set(clusters[i]!, [...(members.get(clusters[i]!) ?? []), i]);
  });
  let n = 0;
  for (const ids of members.values()) {
    if (ids.length < 2) continue;
    for (const a of ids)
      for (const b of ids) {
        if (!inGroupA[a] || inGroupA[b]) continue;
        const la = labels[a]!;
        const lb = labels[b]!;
        if (la !== lb && !idsB.has(la) && !idsA.has(lb)) n++;
      }
  }
  return n;
}
