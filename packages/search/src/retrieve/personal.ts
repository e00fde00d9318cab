import type { Ranked } from './rank.ts';

/**
 * A signed-in person's taste, as search sees it: the gateway passes the recommender's affinity
 * (search does not depend on the recommend package). Decision 0056.
 */
export interface PersonalRanking {
  /** How well each title fits the person (higher is better); empty when they have no history. */
  affinity(titleIds: string[]): Promise<Map<string, number>>;
  /** Weight of the person's order against the query's order in the blend (0 turns it off). */
  weight: number;
}

/**
 * How many of the query's best titles the person's taste may reorder: pages stay stable across it. 400, not 100:
 * more of what a person wants comes within reach of their taste (decision 0056: 1.05× → 1.115× at the same depth).
 */
export const PERSONAL_POOL = 400;
const K = 60;

export interface Personalized {
  ranked: Ranked[];
  /** Titles that moved up because of the person's taste (their `why` says so). */
  lifted: Set<string>;
  applied: boolean;
}

/**
 * Reorders the first PERSONAL_POOL titles by reciprocal-rank fusion of the query's order and the
 * person's affinity order: 1/(60 + query rank) + weight/(60 + affinity rank). Only titles that
 * already met every constraint are reordered, so personal ranking can never break one.
 */
export async function personalize(ranked: Ranked[], personal: PersonalRanking): Promise<Personalized> {
  const unchanged = { ranked, lifted: new Set<string>(), applied: false };
  if (personal.weight <= 0 || ranked.length < 2) return unchanged;
  const head = ranked.slice(0, PERSONAL_POOL);
  const affinity = await personal.affinity(head.map((r) => r.id));
  if (affinity.size === 0) return unchanged;
  const byTaste = head
    .filter((r) => affinity.has(r.id))
    .sort((a, b) => affinity.get(b.id)! - affinity.get(a.id)! || a.id.localeCompare(b.id));
  const tasteRank = new Map(byTaste.map((r, i) => [r.id, i]));
  const blended = head.map((r, i) => {
    const t = tasteRank.get(r.id);
    return { r, i, score: 1 / (K + i + 1) + (t === undefined ? 0 : personal.weight / (K + t + 1)) };
  });
  blended.sort((a, b) => b.score - a.score || a.i - b.i);
  const lifted = new Set<string>();
  blended.forEach((b, j) => {
    if (j < b.i) lifted.add(b.r.id);
  });
  return {
    ranked: [...blended.map((b) => ({ ...b.r, score: b.score })), ...ranked.slice(PERSONAL_POOL)],
    lifted,
    applied: true,
  };
}
