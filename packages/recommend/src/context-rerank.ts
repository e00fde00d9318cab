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

/**
 * A device as the sync registry names it (phone, laptop, web…) or as the recommender does, read as the screen it
 * is: a client can send the type it registered with and get the same context.
 */
export const DEVICE_ALIASES = { phone: 'mobile', laptop: 'desktop', web: 'desktop', cli: 'desktop' } as const;
export const DEVICE_NAMES = [...DEVICES, ...(Object.keys(DEVICE_ALIASES) as (keyof typeof DEVICE_ALIASES)[])] as const;
export function screenOf(name: (typeof DEVICE_NAMES)[number]): Device {
  return name in DEVICE_ALIASES ? DEVICE_ALIASES[name as keyof typeof DEVICE_ALIASES] : (name as Device);
}

export interface RankContext {
  mood?: Mood | undefined;
  device?: Device | undefined;
  /** Local hour 0..23. */
  hour?: number | undefined;
}

/** The explicit-mood boost for item i: the person just told us, so it counts in score units. */
export function moodBoost(items: ItemTable, i: number, mood: Mood): number {
  const table = MOODS[mood] as Record<string, number>;
  let sum = 0;
  for (const g of items.genres[i]!) sum += table[g] ?? 0;
  return 0.5 * Math.max(-1.5, Math.min(1.5, sum));
}

/**
 * How well item i suits the device and local hour, from −1 (a 2½-hour film at 1 a.m.) to +1.
 * These are guesses about the situation, so the ranker turns them into a small share of its
 * shortlist's score range: they reorder near-ties and never outweigh what the person liked.
 */
export function situationFit(items: ItemTable, i: number, ctx: Pick<RankContext, 'device' | 'hour'>): number {
  let fit = 0;
  const runtime = items.runtime[i]!;
  const series = items.isSeries[i] === 1;
  if (ctx.device === 'mobile') fit += series || (runtime > 0 && runtime <= 100) ? 0.75 : runtime > 140 ? -1 : 0;
  if (ctx.device === 'tv') fit += !series && runtime >= 90 ? 0.6 : 0;
  if (ctx.hour !== undefined) {
    const late = ctx.hour >= 23 || ctx.hour < 5;
    if (late) fit += runtime > 140 ? -1 : series || (runtime > 0 && runtime <= 100) ? 0.5 : 0;
    if (ctx.hour >= 6 && ctx.hour < 12 && (items.hasGenre(i, 'kids') || items.hasGenre(i, 'family'))) fit += 0.5;
    if (ctx.hour >= 18 && ctx.hour < 23 && !series && runtime >= 90) fit += 0.4;
  }
  return Math.max(-1, Math.min(1, fit));
}
