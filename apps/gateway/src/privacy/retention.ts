import type { Db } from '@media-gateway/db';
import type { Clock, Logger } from '@media-gateway/domain';

export interface RetentionPolicy {
  /** Feedback events older than this many days are deleted (0 = kept). */
  eventsDays: number;
  /** Audit entries older than this many days are deleted (0 = kept). */
  auditDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes feedback events and audit entries past their retention. The person's adapter has already
 * learned from old events (it is updated per event), so dropping them costs nothing in quality.
 */
export async function sweepRetention(
  db: Db,
  now: number,
  policy: RetentionPolicy,
): Promise<{ events: number; audit: number }> {
  const before = (days: number) => new Date(now - days * DAY_MS);
  const events =
    policy.eventsDays > 0
      ? (await db.query('DELETE FROM rec_events WHERE occurred_at < $1', [before(policy.eventsDays)])).rowCount
      : 0;
  const audit =
    policy.auditDays > 0
      ? (await db.query('DELETE FROM audit_log WHERE at < $1', [before(policy.auditDays)])).rowCount
      : 0;
  return { events, audit };
}

/** The daily sweep of the worker role (first pass a minute after start). */
export function startRetentionSweep(options: { db: Db; clock: Clock; logger: Logger; policy: RetentionPolicy }): {
  stop(): void;
} {
  const run = () =>
    void sweepRetention(options.db, options.clock.now(), options.policy)
      .then((n) => {
        if (n.events || n.audit)
          options.logger.info(n, 'retention sweep deleted old feedback events and audit entries');
      })
      .catch((err) => options.logger.warn({ err }, 'retention sweep failed; will retry tomorrow'));
  const first = setTimeout(run, 60_000);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(daily);
    },
  };
}
