import { randomBytes } from 'node:crypto';
import type { Queryable } from '@media-gateway/db';
import { DomainError } from '@media-gateway/domain';
import { z } from 'zod';

export const ALERT_KINDS = ['available', 'leaving', 'price_drop'] as const;
export const ALERT_CHANNELS = ['inapp', 'webhook', 'email', 'push'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

/** What a person chose about alerts (`GET/PUT /api/me/alerts`). */
export interface AlertPreferences {
  kinds: AlertKind[];
  channels: AlertChannel[];
  /** "available" also when the title arrives on a service in the region the person does not have. */
  anywhereInRegion: boolean;
  /** Interrupting channels (push, email, webhook) wait until `end`; in-app is never held. */
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  /** `daily`: interrupting channels get one message a day at `digestHour` (local time). */
  digest: 'immediate' | 'daily';
  digestHour: number;
  email: string | null;
  webhookUrl: string | null;
  /** Shown to its owner so they can verify signatures; generated when a webhook URL is first set. */
  webhookSecret: string | null;
  /** The leaving-soon iCal feed token, or null when no feed was created (or it was revoked). */
  feedToken: string | null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const AlertPreferencesBody = z
  .object({
    kinds: z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length).optional(),
    channels: z.array(z.enum(ALERT_CHANNELS)).max(ALERT_CHANNELS.length).optional(),
    anywhereInRegion: z.boolean().optional(),
    quietHours: z
      .object({
        start: z.string().regex(HHMM, 'HH:MM, 24-hour'),
        end: z.string().regex(HHMM, 'HH:MM, 24-hour'),
      })
      .strict()
      .refine((q) => q.start !== q.end, 'start and end must differ')
      .nullable()
      .optional(),
    timeZone: z.string().max(64).refine(isTimeZone, 'an IANA time zone such as Europe/Paris').optional(),
    digest: z.enum(['immediate', 'daily']).optional(),
    digestHour: z.number().int().min(0).max(23).optional(),
    email: z.email().max(254).nullable().optional(),
    webhookUrl: z
      .url({ protocol: /^https?$/, message: 'an http(s) URL' })
      .max(2000)
      .nullable()
      .optional(),
    /** true: replace the webhook secret (the old one stops verifying at once). */
    rotateWebhookSecret: z.boolean().optional(),
  })
  .strict();
export type AlertPreferencesPatch = z.infer<typeof AlertPreferencesBody>;

interface Row {
  kinds: string[];
  channels: string[];
  anywhere_in_region: boolean;
  quiet_start: string | null;
  quiet_end: string | null;
  time_zone: string;
  digest: 'immediate' | 'daily';
  digest_hour: number;
  email: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  feed_token: string | null;
}

const DEFAULTS: AlertPreferences = {
  kinds: [],
  channels: [],
  anywhereInRegion: false,
  quietHours: null,
  timeZone: 'UTC',
  digest: 'immediate',
  digestHour: 8,
  email: null,
  webhookUrl: null,
  webhookSecret: null,
  feedToken: null,
};

export function fromRow(r: Row | undefined): AlertPreferences {
  if (!r) return { ...DEFAULTS };
  return {
    kinds: r.kinds as AlertKind[],
    channels: r.channels as AlertChannel[],
    anywhereInRegion: r.anywhere_in_region,
    quietHours: r.quiet_start && r.quiet_end ? { start: r.quiet_start, end: r.quiet_end } : null,
    timeZone: r.time_zone,
    digest: r.digest,
    digestHour: r.digest_hour,
    email: r.email,
    webhookUrl: r.webhook_url,
    webhookSecret: r.webhook_secret,
    feedToken: r.feed_token,
  };
}

export const PREFERENCE_COLUMNS =
  'kinds, channels, anywhere_in_region, quiet_start, quiet_end, time_zone, ' +
  'digest, digest_hour, email, webhook_url, webhook_secret, feed_token';

export async function getAlertPreferences(db: Queryable, userId: string): Promise<AlertPreferences> {
  const { rows } = await db.query<Row>(`SELECT ${PREFERENCE_COLUMNS} FROM alert_settings WHERE user_id = $1`, [userId]);
  return fromRow(rows[0]);
}

const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Applies a validated patch; a channel that needs an address it does not have is refused (400). */
export async function updateAlertPreferences(
  db: Queryable,
  userId: string,
  patch: AlertPreferencesPatch,
): Promise<AlertPreferences> {
  const current = await getAlertPreferences(db, userId);
  const next: AlertPreferences = {
    kinds: patch.kinds ? [...new Set(patch.kinds)] : current.kinds,
    channels: patch.channels ? [...new Set(patch.channels)] : current.channels,
    anywhereInRegion: patch.anywhereInRegion ?? current.anywhereInRegion,
    quietHours: patch.quietHours === undefined ? current.quietHours : patch.quietHours,
    timeZone: patch.timeZone ?? current.timeZone,
    digest: patch.digest ?? current.digest,
    digestHour: patch.digestHour ?? current.digestHour,
    email: patch.email === undefined ? current.email : patch.email,
    webhookUrl: patch.webhookUrl === undefined ? current.webhookUrl : patch.webhookUrl,
    webhookSecret: current.webhookSecret,
    feedToken: current.feedToken,
  };
  if (next.channels.includes('email') && !next.email)
    throw new DomainError('INVALID_INPUT', 'The email channel needs an email address.', { field: 'email' });
  if (next.channels.includes('webhook') && !next.webhookUrl)
    throw new DomainError('INVALID_INPUT', 'The webhook channel needs a webhookUrl.', { field: 'webhookUrl' });
  if (next.webhookUrl && (!next.webhookSecret || patch.rotateWebhookSecret)) next.webhookSecret = `whsec_${secret(24)}`;
  if (!next.webhookUrl) next.webhookSecret = null;
  await db.query(
    `INSERT INTO alert_settings (user_id, ${PREFERENCE_COLUMNS}, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
     ON CONFLICT (user_id) DO UPDATE SET kinds = EXCLUDED.kinds, channels = EXCLUDED.channels,
       anywhere_in_region = EXCLUDED.anywhere_in_region, quiet_start = EXCLUDED.quiet_start,
       quiet_end = EXCLUDED.quiet_end, time_zone = EXCLUDED.time_zone, digest = EXCLUDED.digest,
       digest_hour = EXCLUDED.digest_hour, email = EXCLUDED.email,
       webhook_url = EXCLUDED.webhook_url, webhook_secret = EXCLUDED.webhook_secret, updated_at = now()`,
    [
      userId,
      next.kinds,
      next.channels,
      next.anywhereInRegion,
      next.quietHours?.start ?? null,
      next.quietHours?.end ?? null,
      next.timeZone,
      next.digest,
      next.digestHour,
      next.email,
      next.webhookUrl,
      next.webhookSecret,
      next.feedToken,
    ],
  );
  return next;
}

/** Creates or replaces the iCal feed token (the old feed URL stops working at once). */
export async function rotateFeedToken(db: Queryable, userId: string): Promise<string> {
  const token = `feed_${secret(24)}`;
  await db.query(
    `INSERT INTO alert_settings (user_id, feed_token) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET feed_token = EXCLUDED.feed_token, updated_at = now()`,
    [userId, token],
  );
  return token;
}

export async function revokeFeedToken(db: Queryable, userId: string): Promise<boolean> {
  const r = await db.query<{ user_id: string }>(
    'UPDATE alert_settings SET feed_token = NULL, updated_at = now() ' +
      'WHERE user_id = $1 AND feed_token IS NOT NULL RETURNING user_id',
    [userId],
  );
  return r.rows.length > 0;
}

export async function userForFeedToken(db: Queryable, token: string): Promise<string | undefined> {
  const r = await db.query<{ user_id: string }>('SELECT user_id FROM alert_settings WHERE feed_token = $1', [token]);
  return r.rows[0]?.user_id;
}
