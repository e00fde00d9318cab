import { z } from 'zod';

/** GET /api/admin/ingestion/upload/:runId: byte progress of an upload this server process is ingesting. */
export const UploadProgressSchema = z.strictObject({
  runId: z.string(),
  source: z.string(),
  fileName: z.string(),
  bytes: z.number().int(),
  status: z.enum(['running', 'completed', 'failed']),
  /** Bytes of the file the pipeline has read, and the file size (progress = done / total). */
  done: z.number(),
  total: z.number(),
  rows: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type UploadProgress = z.infer<typeof UploadProgressSchema>;

/** POST /api/admin/ingestion/upload (202): the progress so far and where to follow it. */
export const UploadStartedSchema = z.strictObject({
  ...UploadProgressSchema.shape,
  links: z.strictObject({ progress: z.string(), problems: z.string(), runs: z.string() }),
});
export type UploadStarted = z.infer<typeof UploadStartedSchema>;
