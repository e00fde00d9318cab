import { z } from 'zod';

/** A source record merged into a title, with the resolver's evidence and any operator override. */
export const MergeViewSchema = z.strictObject({
  source: z.string(),
  sourceKey: z.string(),
  titleId: z.string(),
  title: z.string(),
  method: z.string(),
  confidence: z.number(),
  reason: z.string(),
  override: z.enum(['split', 'merge']).nullable(),
});
export type MergeView = z.infer<typeof MergeViewSchema>;

/** GET /api/admin/resolution: the review queue, lowest confidence first. */
export const MergeQueueSchema = z.strictObject({
  below: z.number(),
  items: z.array(MergeViewSchema),
});
export type MergeQueue = z.infer<typeof MergeQueueSchema>;

/** POST /api/admin/resolution/override: where the record now belongs. */
export const ResolutionOverrideSchema = z.strictObject({
  titleId: z.string(),
  previousTitleId: z.string(),
  action: z.enum(['split', 'merge']),
  source: z.string(),
  sourceKey: z.string(),
});
export type ResolutionOverride = z.infer<typeof ResolutionOverrideSchema>;
