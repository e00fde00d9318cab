import type { Db } from '@media-gateway/db';
import type { Clock, Logger } from '@media-gateway/domain';
import { type AlertChannel, type AlertPreferences, fromRow, PREFERENCE_COLUMNS } from './alert-preferences.ts';
import { type Alert, alertsFromEvents, leavingAlerts } from './alert-rules.ts';
import type { ChannelSender, OutgoingAlert, SendResult } from './channels/channel.ts';
import { dueAt } from './delivery-schedule.ts';
import { refreshWatchlistIndex } from './watchlist-index.ts';

export interface AlertEngineOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Channels this server can send on; a person's channel without a sender here is skipped. */
  senders: Partial<Record<AlertChannel, ChannelSender>>;
  /** The cursor's name in alert_cursor (one per engine deployment; replicas share it). */
  name?: string;
  /** How far ahead "leaving" alerts look (ms); default 7 days. */
  leavingWindowMs?: number;
  /** Attempts before a delivery gives up (default 5). */
  maxAttempts?: number;
  /** First retry delay (ms); each next one is 4× longer (default 30 s: 30 s, 2 min, 8 min, 32 min). */
  retryBaseMs?: number;
  /** How long a sender owns the deliveries it claimed (ms); a sender that died releases them after that. */
  claimMs?: number;
  /** catalog_events read per step. */
  batchSize?: number;
  /** Told about every delivery that was sent or given up (metrics). */
  onDelivery?: (channel: AlertChannel, outcome: 'sent' | 'failed') => void;
}

export interface TickReport {
  indexed: number;
  events: number;
  alerts: number;
  queued: number;
  sent: number;
  retried: number;
  failed: number;
}

interface ClaimedRow {
  user_id: string;
  alert_key: string;
  channel: AlertChannel;
  payload: OutgoingAlert;
  attempts: number;
}

/**
 * Turns catalog changes into alerts for people (issue 19, decision 0120). Each tick: refresh the
 * derived watchlist index, read `catalog_events` after the stored cursor, add "leaving soon" alerts,
 * queue one delivery per person, alert and channel (a unique key, inserted with ON CONFLICT DO
 * NOTHING, so two engines reading the same events queue it once), then send what is due, each
 * delivery claimed by exactly one sender. Runs under the worker lease; correctness does not depend
 * on it: two engines at once still deliver exactly once per person and channel.
 */
export class AlertEngine {
  private readonly name: string;
  private readonly batchSize: number;

  constructor(private readonly options: AlertEngineOptions) {
    this.name = options.name ?? 'alerts';
    this.batchSize = options.batchSize ?? 2_000;
  }

  async tick(signal: AbortSignal = new AbortController().signal): Promise<TickReport> {
    const report: TickReport = { indexed: 0, events: 0, alerts: 0, queued: 0, sent: 0, retried: 0, failed: 0 };
    report.indexed = (await refreshWatchlistIndex(this.options.db)).rebuilt;
    await this.followEvents(report);
    const now = this.options.clock.now();
    const leaving = await leavingAlerts(this.options.db, now, this.options.leavingWindowMs ?? 7 * 86_400_000);
    report.alerts += leaving.length;
    report.queued += await this.enqueue(leaving);
    await this.dispatch(report, signal);
    return report;
  }

  /** Reads events after the cursor in steps and moves the cursor past each step once its alerts are queued. */
  private async followEvents(report: TickReport): Promise<void> {
    const { db } = this.options;
    // A new engine starts at the present: the catalog's history is not news.
    await db.query(
      `INSERT INTO alert_cursor (name, seq) SELECT $1, coalesce(max(seq), 0) FROM catalog_events ` +
        `ON CONFLICT (name) DO NOTHING`,
      [this.name],
    );
    const { rows } = await db.query<{ cursor: string; top: string }>(
      `SELECT (SELECT seq FROM alert_cursor WHERE name = $1)::text AS cursor,
              (SELECT coalesce(max(seq), 0) FROM catalog_events)::text AS top`,
      [this.name],
    );
    let after = Number(rows[0]!.cursor);
    const top = Number(rows[0]!.top);
    while (after < top) {
      const upTo = Math.min(after + this.batchSize, top);
      const alerts = await alertsFromEvents(db, String(after), String(upTo), this.options.clock.now());
      report.events += upTo - after;
      report.alerts += alerts.length;
      report.queued += await this.enqueue(alerts);
      await db.query('UPDATE alert_cursor SET seq = GREATEST(seq, $2::bigint) WHERE name = $1', [this.name, upTo]);
      after = upTo;
    }
  }

  /** Queues each alert on each of its person's channels; returns how many deliveries were new. */
  async enqueue(alerts: Alert[]): Promise<number> {
    if (alerts.length === 0) return 0;
    const { db, clock } = this.options;
    const prefs = await this.preferences([...new Set(alerts.map((a) => a.userId))]);
    const now = clock.now();
    const rows: Array<Record<string, unknown>> = [];
    for (const a of alerts) {
      const p = prefs.get(a.userId);
      if (!p?.kinds.includes(a.kind)) continue;
      const payload: OutgoingAlert = {
        key: a.key,
        kind: a.kind,
        titleId: a.titleId,
        subject: a.subject,
        body: a.body,
        data: a.data,
        createdAt: new Date(now).toISOString(),
      };
      for (const channel of p.channels) {
        if (!this.options.senders[channel]) continue;
        rows.push({
          user_id: a.userId,
          alert_key: a.key,
          channel,
          kind: a.kind,
          payload,
          due_at: new Date(dueAt(channel, p, now, a.urgentBefore)).toISOString(),
        });
      }
    }
    if (rows.length === 0) return 0;
    const res = await db.query<{ user_id: string }>(
      `INSERT INTO alert_deliveries (user_id, alert_key, channel, kind, payload, status, due_at, created_at)
       SELECT r.user_id, r.alert_key, r.channel, r.kind, r.payload, 'pending', r.due_at, $2
       FROM jsonb_to_recordset($1::jsonb)
         AS r(user_id text, alert_key text, channel text, kind text, payload jsonb, due_at timestamptz)
       ON CONFLICT (user_id, alert_key, channel) DO NOTHING RETURNING user_id`,
      [JSON.stringify(rows), new Date(now)],
    );
    return res.rows.length;
  }

  /**
   * Sends every due delivery. Claiming sets `claimed_until` on rows nobody holds (SKIP LOCKED: two
   * senders never take the same row); each person's due rows on one channel go as one message.
   */
  async dispatch(report: TickReport, signal: AbortSignal): Promise<void> {
    const { db, clock } = this.options;
    for (;;) {
      if (signal.aborted) return;
      const now = clock.now();
      const claimedUntil = new Date(now + (this.options.claimMs ?? 5 * 60_000));
      const { rows } = await db.query<ClaimedRow>(
        `UPDATE alert_deliveries d SET claimed_until = $2
         FROM (SELECT user_id, alert_key, channel FROM alert_deliveries
               WHERE status = 'pending' AND due_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
               ORDER BY due_at LIMIT 200 FOR UPDATE SKIP LOCKED) c
         WHERE d.user_id = c.user_id AND d.alert_key = c.alert_key AND d.channel = c.channel
         RETURNING d.user_id, d.alert_key, d.channel, d.payload, d.attempts`,
        [new Date(now), claimedUntil],
      );
      if (rows.length === 0) return;
      const groups = new Map<string, ClaimedRow[]>();
      for (const r of rows) {
        const k = `${r.user_id}\n${r.channel}`;
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      const prefs = await this.preferences([...new Set(rows.map((r) => r.user_id))]);
      for (const group of groups.values()) {
        const { user_id: userId, channel } = group[0]!;
        const p = prefs.get(userId);
        const sender = this.options.senders[channel];
        const alerts = group.map((r) => r.payload).sort((a, b) => a.key.localeCompare(b.key));
        const result: SendResult =
          p && sender
            ? await sender.send(userId, p, alerts, signal).catch((error: Error) => ({
                ok: false as const,
                retry: true,
                error: error.message,
              }))
            : { ok: false, retry: false, error: p ? `no ${channel} sender on this server` : 'alerts turned off' };
        await this.settle(group, result, claimedUntil, report);
      }
    }
  }

  private async settle(group: ClaimedRow[], result: SendResult, claimedUntil: Date, report: TickReport): Promise<void> {
    const { db, clock } = this.options;
    const now = clock.now();
    const maxAttempts = this.options.maxAttempts ?? 5;
    const base = this.options.retryBaseMs ?? 30_000;
    const channel = group[0]!.channel;
    for (const r of group) {
      const attempts = r.attempts + 1;
      const giveUp = !result.ok && (!result.retry || attempts >= maxAttempts);
      const status = result.ok ? 'sent' : giveUp ? 'failed' : 'pending';
      // Only while the claim is still ours: a sender that overran its claim must not overwrite a newer outcome.
      await db.query(
        `UPDATE alert_deliveries SET status = $4, attempts = $5, sent_at = $6, due_at = $7, last_error = $8,
           claimed_until = NULL
         WHERE user_id = $1 AND alert_key = $2 AND channel = $3 AND claimed_until = $9`,
        [
          r.user_id,
          r.alert_key,
          r.channel,
          status,
          attempts,
          result.ok ? new Date(now) : null,
          new Date(status === 'pending' ? now + base * 4 ** (attempts - 1) : now),
          result.ok ? null : result.error.slice(0, 500),
          claimedUntil,
        ],
      );
      if (status === 'sent') report.sent++;
      else if (status === 'pending') report.retried++;
      else report.failed++;
      if (status !== 'pending') this.options.onDelivery?.(channel, status);
    }
    if (!result.ok && !(result.retry && group.every((r) => r.attempts + 1 < maxAttempts)))
      this.options.logger.warn(
        { channel, userId: group[0]!.user_id, error: result.error, alerts: group.length },
        'alert delivery gave up',
      );
  }

  private async preferences(userIds: string[]): Promise<Map<string, AlertPreferences>> {
    const { rows } = await this.options.db.query<Parameters<typeof fromRow>[0] & { user_id: string }>(
      `SELECT user_id, ${PREFERENCE_COLUMNS} FROM alert_settings WHERE user_id = ANY($1)`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.user_id, fromRow(r)]));
  }
}
