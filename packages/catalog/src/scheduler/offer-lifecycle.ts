import type { Db } from '@media-gateway/db';

/**
 * Availability lifecycle for live sources. After a complete full sweep, offers of that source
 * the sweep did not see are closed (available_until = sweep start) with an `offer.removed` event.
 * After any completed run, closed offers seen again are re-opened (their earlier available_until
 * restored) with an `offer.added` event marked `reopened`.
 */
export async function closeUnseenOffers(db: Db, source: string, sweepStartedAt: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const closed = await tx.query<{
      source_key: string;
      platform: string;
      region: string;
      monetization: string;
      title_id: string;
      previous_until: Date | null;
    }>(
      `WITH target AS (
         SELECT source_key, platform, region, monetization, available_until AS previous_until FROM offers
         WHERE source = $1 AND last_seen < $2 AND (available_until IS NULL OR available_until > $2)
       )
       UPDATE offers o SET available_until = $2 FROM target t
       WHERE o.source = $1 AND o.source_key = t.source_key AND o.platform = t.platform AND o.region = t.region
         AND o.monetization = t.monetization
       RETURNING o.source_key, o.platform, o.region, o.monetization, o.title_id, t.previous_until`,
      [source, sweepStartedAt],
    );
    for (const r of closed.rows) {
      await tx.query(
        `INSERT INTO offer_closures (source, source_key, platform, region, monetization, closed_at, previous_until)
           VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (source, source_key, platform, region, monetization) DO UPDATE SET closed_at = EXCLUDED.closed_at,
           previous_until = EXCLUDED.previous_until`,
        [source, r.source_key, r.platform, r.region, r.monetization, sweepStartedAt, r.previous_until],
      );
      await tx.query(`INSERT INTO catalog_events (type, title_id, payload) VALUES ('offer.removed', $1, $2::jsonb)`, [
        r.title_id,
        JSON.stringify({
          source,
          platform: r.platform,
          region: r.region,
          monetization: r.monetization,
          reason: 'not seen in full sweep',
          availableUntil: sweepStartedAt.toISOString(),
        }),
      ]);
    }
    return closed.rows.length;
  });
}

export async function reopenSeenOffers(db: Db, source: string): Promise<number> {
  return db.transaction(async (tx) => {
    const seen = await tx.query<{
      source_key: string;
      platform: string;
      region: string;
      monetization: string;
      title_id: string | null;
      closed_at: Date;
      previous_until: Date | null;
    }>(
      `SELECT c.source_key, c.platform, c.region, c.monetization, o.title_id, c.closed_at, c.previous_until
       FROM offer_closures c LEFT JOIN offers o ON o.source = c.source AND o.source_key = c.source_key
         AND o.platform = c.platform
         AND o.region = c.region AND o.monetization = c.monetization
       WHERE c.source = $1 AND (o.source IS NULL OR o.last_seen > c.closed_at)`,
      [source],
    );
    let reopened = 0;
    for (const r of seen.rows) {
      const key = [source, r.source_key, r.platform, r.region, r.monetization];
      await tx.query(
        'DELETE FROM offer_closures WHERE source = $1 AND source_key = $2 ' +
          'AND platform = $3 AND region = $4 AND monetization = $5',
        key,
      );
      if (!r.title_id) continue; // the offer row is gone (the record changed): nothing to re-open
      await tx.query(
        'UPDATE offers SET available_until = $6 WHERE source = $1 AND source_key = $2 ' +
          'AND platform = $3 AND region = $4 AND monetization = $5 AND available_until = $7',
        [...key, r.previous_until, r.closed_at],
      );
      reopened++;
      await tx.query(`INSERT INTO catalog_events (type, title_id, payload) VALUES ('offer.added', $1, $2::jsonb)`, [
        r.title_id,
        JSON.stringify({
          source,
          platform: r.platform,
          region: r.region,
          monetization: r.monetization,
          reopened: true,
        }),
      ]);
    }
    return reopened;
  });
}
