/** Recall@k normalised by min(k, |relevant|), so a perfect list scores 1 whatever the test size. */
export function recallAt(k: number, ranked: readonly number[], relevant: ReadonlySet<number>): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  for (const i of ranked.slice(0, k)) if (relevant.has(i)) hits++;
  return hits / Math.min(k, relevant.size);
}

/** Binary-relevance NDCG@k. */
export function ndcgAt(k: number, ranked: readonly number[], relevant: ReadonlySet<number>): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  ranked.slice(0, k).forEach((i, pos) => {
    if (relevant.has(i)) dcg += 1 / Math.log2(pos + 2);
  });
  let idcg = 0;
  for (let pos = 0; pos < Math.min(k, relevant.size); pos++) idcg += 1 / Math.log2(pos + 2);
  return dcg / idcg;
}
