import { z } from 'zod';

/** An availability alert sent in-app: live over /sync (W8) and kept in the notification centre. */
export const NotificationSchema = z.strictObject({
  id: z.string(),
  kind: z.string(),
  titleId: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof NotificationSchema>;

/** GET /api/me/notifications: newest first, each with when it was read, and the unread count. */
export const NotificationListSchema = z.strictObject({
  items: z.array(NotificationSchema.extend({ readAt: z.string().nullable() })),
  unread: z.number().int(),
});
export type NotificationList = z.infer<typeof NotificationListSchema>;
