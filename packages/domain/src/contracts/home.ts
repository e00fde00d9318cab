import { z } from 'zod';
import { OfferViewSchema, SampleDataSchema, TitleImageSchema, TitleSummarySchema } from './titles.ts';

/** A title in a start-page row: its summary, artwork, and the offer that earned its place (decision 0107). */
export const HomeItemSchema = TitleSummarySchema.extend({
  /** A generated cover (GET /api/titles/:id/cover.svg): never broken, even without artwork. */
  cover: z.string(),
  /** The source poster through our proxy, with its credit and when the source saw it; null without artwork. */
  poster: TitleImageSchema.nullable(),
  /** The offer that puts the title in this row, with when its source saw it; null for continue watching off-service. */
  offer: OfferViewSchema.nullable(),
  /** Why this title is here, for "because you liked X". */
  why: z.string().optional(),
  /** Where the person stopped, for "continue watching". */
  progress: z.strictObject({ positionSeconds: z.number(), durationSeconds: z.number().nullable() }).optional(),
});
export type HomeItem = z.infer<typeof HomeItemSchema>;

export const HomeRowSchema = z.strictObject({
  id: z.union([
    z.enum(['continue-watching', 'watchlist-available', 'popular', 'new-this-month', 'leaving-soon']),
    z.string().regex(/^because-/),
  ]),
  title: z.string(),
  /** One sentence on the row's rule. */
  description: z.string(),
  /** Never empty: a row without titles is left out. */
  items: z.array(HomeItemSchema).min(1),
});
export type HomeRow = z.infer<typeof HomeRowSchema>;

/** GET /api/home. */
export const HomeViewSchema = z.strictObject({
  region: z.string(),
  /** The person's services the rows are limited to; null = every service in the region. */
  services: z.array(z.string()).nullable(),
  signedIn: z.boolean(),
  rows: z.array(HomeRowSchema),
  sampleData: SampleDataSchema.optional(),
});
export type HomeView = z.infer<typeof HomeViewSchema>;
