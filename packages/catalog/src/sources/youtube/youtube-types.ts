import { z } from 'zod';

/** YouTube Data API v3 shapes (EXTERNAL-APIS.md §5). */
export const YtSearchList = z.object({
  kind: z.literal('youtube#searchListResponse'),
  items: z.array(
    z.object({
      id: z.object({ kind: z.string(), videoId: z.string().optional() }),
      snippet: z.object({ title: z.string() }).passthrough(),
    }),
  ),
  nextPageToken: z.string().optional(),
});

export const YtVideo = z.object({
  kind: z.literal('youtube#video'),
  id: z.string(),
  snippet: z
    .object({ title: z.string(), channelId: z.string().optional(), channelTitle: z.string().optional() })
    .passthrough(),
  contentDetails: z.object({
    duration: z.string(),
    definition: z.string().optional(),
    licensedContent: z.boolean().optional(),
    regionRestriction: z
      .object({ allowed: z.array(z.string()).optional(), blocked: z.array(z.string()).optional() })
      .optional(),
  }),
  /** part=status: who may watch it, and whether it plays outside youtube.com. */
  status: z
    .object({ privacyStatus: z.string().optional(), embeddable: z.boolean().optional() })
    .passthrough()
    .optional(),
});
export type YtVideo = z.infer<typeof YtVideo>;

export const YtVideoList = z.object({ kind: z.literal('youtube#videoListResponse'), items: z.array(z.unknown()) });

/** 403 {"error":{"errors":[{"domain":"youtube.quota","reason":"quotaExceeded"}]}}: a quota stop, not a failure. */
export function isYoutubeQuotaError(status: number, body: unknown): boolean {
  if (status !== 403) return false;
  const errors = (body as { error?: { errors?: Array<{ reason?: string }> } } | undefined)?.error?.errors ?? [];
  return errors.some((e) => e.reason === 'quotaExceeded' || e.reason === 'dailyLimitExceeded');
}
