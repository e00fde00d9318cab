import type { Queryable } from '@media-gateway/db';
import { getAlertPreferences } from './alert-preferences.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * The person's alert data for their export (GET /api/me/export): their choices, the notification
 * centre, what was sent on which channel, and the browsers subscribed to push (endpoints only; the
 * browser's keys are not the person's to read back).
 */
export async function exportAlerts(db: Queryable, userId: string) {
  const settings = await getAlertPreferences(db, userId);
  const notifications = await db.query<{
    id: string;
    kind: string;
    title_id: string | null;
    subject: string;
    body: string;
    created_at: Date;
    read_at: Date | null;
  }>(
    'SELECT id, kind, title_id, subject, body, created_at, read_at ' +
      'FROM notifications WHERE user_id = $1 ORDER BY created_at, id',
    [userId],
  );
  const deliveries = await db.query<{
    alert_key: string;
    channel: string;
    kind: string;
    status: string;
    created_at: Date;
    sent_at: Date | null;
  }>(
    'SELECT alert_key, channel, kind, status, created_at, sent_at ' +
      'FROM alert_deliveries WHERE user_id = $1 ORDER BY created_at, alert_key, channel',
    [userId],
  );
  const push = await db.query<{ endpoint: string; created_at: Date }>(
    'SELECT endpoint, created_at FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at',
    [userId],
  );
  return {
    settings,
    notifications: notifications.rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      titleId: n.title_id,
      subject: n.subject,
      body: n.body,
      createdAt: iso(n.created_at),
      readAt: iso(n.read_at),
    })),
    deliveries: deliveries.rows.map((d) => ({
      alertKey: d.alert_key,
      channel: d.channel,
      kind: d.kind,
      status: d.status,
      createdAt: iso(d.created_at),
      sentAt: iso(d.sent_at),
    })),
    pushSubscriptions: push.rows.map((p) => ({ endpoint: p.endpoint, createdAt: iso(p.created_at) })),
  };
}
