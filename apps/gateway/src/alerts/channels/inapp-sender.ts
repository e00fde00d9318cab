import { createHash } from 'node:crypto';
import type { Queryable } from '@media-gateway/db';
import type { LiveNotification } from '@media-gateway/sync';
import type { ChannelSender, SendResult } from './channel.ts';

/**
 * The notification centre: one row per alert (idempotent on the alert key), then a live `notification`
 * frame to the person's connected devices over /sync (W8), on whichever replica they are connected to.
 * The live frame is best effort; the row is the delivery.
 */
export function inappSender(options: {
  db: Queryable;
  notify: (userId: string, notification: LiveNotification) => Promise<unknown>;
}): ChannelSender {
  return {
    async send(userId, _prefs, alerts): Promise<SendResult> {
      for (const a of alerts) {
        const id = `ntf_${createHash('sha256').update(`${userId}\n${a.key}`).digest('base64url').slice(0, 20)}`;
        const inserted = await options.db.query(
          `INSERT INTO notifications (id, user_id, alert_key, kind, title_id, subject, body, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
          [id, userId, a.key, a.kind, a.titleId, a.subject, a.body, new Date(a.createdAt)],
        );
        if (inserted.rows.length === 0) continue;
        await options
          .notify(userId, {
            id,
            kind: a.kind,
            titleId: a.titleId,
            subject: a.subject,
            body: a.body,
            createdAt: a.createdAt,
          })
          .catch(() => {});
      }
      return { ok: true };
    },
  };
}
