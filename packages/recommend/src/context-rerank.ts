import type { ItemTable } from './item-table.ts';

/** Moods a person can ask for, and the genres each favours (+) or avoids (−). */
export const MOODS = {
  light: { comedy: 1, family: 0.6, animation: 0.6, romance: 0.3, horror: -1, war: -0.8, crime: -0.3 },
  funny: { comedy: 1.2, 'stand-up': 0.8, animation: 0.3, horror: -0.8, war: -0.8, documentary: -0.4 },
  thrilling: { thriller: 1, action: 0.8, crime: 0.6, mystery: 0.6, horror: 0.4, kids: -0.8, family: -0.5 },
  scary: { horror: 1.2, thriller: 0.6, mystery: 0.3, kids: -1, family: -0.8, comedy: -0.3 },
  romantic: { romance: 1.2, drama: 0.3, comedy: 0.3, horror: -0.8, war: -0.6 },
  thoughtful: { documentary: 1, drama: 0.7, history: 0.6, biography: 0.6, news: 0.3, kids: -0.6 },
  relaxed: { comedy: 0.6, animation: 0.5, family: 0.5, reality: 0.5, documentary: 0.3, horror: -1, thriller: -0.5 },
  adventurous: { adventure: 1, fantasy: 0.7, 'science-fiction': 0.7, action: 0.5, anime: 0.3 },
  family: { family: 1.2, kids: 1, animation: 0.8, horror: -1.5, thriller: -0.6 },
} as const satisfies Record<string, Record<string, number>>;
export type Mood = keyof typeof MOODS;
export const MOOD_NAMES = Object.keys(MOODS) as Mood[];

export const DEVICES = ['tv', 'desktop', 'tablet', 'mobile'] as const;
export type Device = (typeof DEVICES)[number];

export interface RankContext {
  mood?: Mood | undefined;
  device?: Device | undefined;
  /** Local hour 0..23. */
  hour?: number | undefined;
}

/**
 * Additive context adjustment for item i. An explicit mood is the strongest signal (the person
 * just told us); device and time of day only nudge runtime and format, because they are guesses.
 */
export function contextBoost(items: ItemTable, i: number, ctx: RankContext): number {
  let boost = 0;
  if (ctx.mood) {
    const table = MOODS[ctx.mood] as Record<string, number>;
    let sum = 0;
    for (const g of items.genres[i]!) sum += table[g] ?? 0;
    boost += 0.5 * Math.max(-1.5, Math.min(1.5, sum));
  }
  const runtime = items.runtime[i]!;
  const series = items.isSeries[i] === 1;
  if (ctx.device === 'mobile') boost += series || (runtime > 0 && runtime <= 100) ? 0.06 : runtime > 140 ? -0.08 : 0;
  if (ctx.device === 'tv') boost += !series && runtime >= 90 ? 0.05 : 0;
  if (ctx.hour !== undefined) {
    const late = ctx.hour >= 23 || ctx.hour < 5;
    if (late) boost += runtime > 140 ? -0.08 : series || (runtime > 0 && runtime <= 100) ? 0.04 : 0;
    if (ctx.hour >= 6 && ctx.hour < 12 && (items.hasGenre(i, 'kids') || items.hasGenre(i, 'family'))) boost += 0.04;
    if (ctx.hour >= 18 && ctx.hour < 23 && !series && runtime >= 90) boost += 0.03;
  }
  return boost;
}
