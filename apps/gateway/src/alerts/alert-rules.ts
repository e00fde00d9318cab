import type { Queryable } from '@media-gateway/db';
import { getPlatform } from '@media-gateway/domain';
import type { AlertKind } from './alert-preferences.ts';

/** One alert for one person; `key` is its identity (the exactly-once key with the channel). */
export interface Alert {
  userId: string;
  key: string;
  kind: AlertKind;
  titleId: string;
  subject: string;
  body: string;
  data: Record<string, string | number | null>;
  /** Leaving alerts: after this instant (ms) the alert is worthless, so quiet hours may not hold it past. */
  urgentBefore?: number;
}

/** A service's name as people know it ("Peacock"), or its id when the registry has none. */
export const platformName = (id: string) => getPlatform(id)?.name ?? id;
const day = (d: Date) => d.toISOString().slice(0, 10);
const STREAMING = new Set(['subscription', 'free', 'ads', 'addon']);

interface EventRow {
  seq: string;
  type: 'offer.added' | 'offer.price_changed';
  title_id: string;
  payload: {
    source?: string;
    platform?: string;
    region?: string;
    monetization?: string;
    price?: number | null;
    currency?: string | null;
    previousPrice?: number | null;
  };
  created_at: Date;
  user_id: string;
  title_name: string;
  services: string[];
  kinds: string[];
  anywhere_in_region: boolean;
  open_now: boolean;
  already: boolean;
}

/**
 * Alerts for the catalog events in (`after`, `upTo`], for people who have the title on their
 * watchlist and alerts on. Only offers in the person's region count. "available": the offer is open
 * now, on one of the person's services (any service when they named none) as a subscription, free,
 * ads or add-on offer, or on any service and monetization when they chose "anywhere in my region";
 * and the title was not already available there from another offer seen earlier (two sources
 * reporting the same arrival make one alert). The key holds the day of the event, so a title that
 * leaves and comes back later alerts again, and every engine derives the same key from the same
 * event whatever batch it read it in. "price_drop": a rent or buy price went down.
 */
export async function alertsFromEvents(db: Queryable, after: string, upTo: string, now: number): Promise<Alert[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT e.seq::text, e.type, e.title_id, e.payload, e.created_at, w.user_id, t.title AS title_name,
            coalesce(u.services, '{}') AS services, s.kinds, s.anywhere_in_region,
            EXISTS (SELECT 1 FROM offers o WHERE o.title_id = e.title_id AND o.platform = e.payload->>'platform'
                AND o.region = e.payload->>'region' AND o.source = e.payload->>'source'
                AND o.monetization = e.payload->>'monetization'
                AND (o.available_from IS NULL OR o.available_from <= $3) AND (o.available_until IS NULL
                  OR o.available_until > $3)
            ) AS open_now,
            EXISTS (SELECT 1 FROM offers o WHERE o.title_id = e.title_id AND o.platform = e.payload->>'platform'
                AND o.region = e.payload->>'region'
                AND NOT (o.source = e.payload->>'source' AND o.monetization = e.payload->>'monetization')
                AND o.first_seen < e.created_at AND (o.available_until IS NULL OR o.available_until > e.created_at)
            ) AS already
     FROM catalog_events e
     JOIN watchlist_index w ON w.title_id = e.title_id
     JOIN alert_settings s ON s.user_id = w.user_id AND cardinality(s.channels) > 0
     LEFT JOIN user_settings u ON u.user_id = w.user_id
     JOIN titles t ON t.id = e.title_id
     WHERE e.seq > $1::bigint AND e.seq <= $2::bigint AND e.type IN ('offer.added', 'offer.price_changed')
       AND e.payload->>'region' = coalesce(u.region, 'US')
     ORDER BY e.seq`,
    [after, upTo, new Date(now)],
  );
  const out: Alert[] = [];
  for (const r of rows) {
    const p = r.payload;
    if (!p.platform || !p.region || !p.monetization) continue;
    const onService = r.services.length === 0 || r.services.includes(p.platform);
    const name = platformName(p.platform);
    const base = { titleId: r.title_id, title: r.title_name, platform: p.platform, region: p.region };
    if (r.type === 'offer.added' && r.kinds.includes('available') && r.open_now && !r.already) {
      if (!(r.anywhere_in_region || (onService && STREAMING.has(p.monetization)))) continue;
      const priced = p.price != null && p.currency ? ` (${p.monetization} ${p.price} ${p.currency})` : '';
      out.push({
        userId: r.user_id,
        key: `available:${r.title_id}:${p.platform}:${p.region}:${day(r.created_at)}`,
        kind: 'available',
        titleId: r.title_id,
        subject: `“${r.title_name}” is now on ${name}`,
        body: `“${r.title_name}” from your watchlist is now available on ${name} in ${p.region}${priced}.`,
        data: { ...base, monetization: p.monetization },
      });
    } else if (
      r.type === 'offer.price_changed' &&
      r.kinds.includes('price_drop') &&
      (p.monetization === 'rent' || p.monetization === 'buy') &&
      p.price != null &&
      p.previousPrice != null &&
      p.price < p.previousPrice &&
      (onService || r.anywhere_in_region)
    ) {
      out.push({
        userId: r.user_id,
        key: `price_drop:${r.title_id}:${p.platform}:${p.region}:${p.monetization}:${p.price}`,
        kind: 'price_drop',
        titleId: r.title_id,
        subject: `Price drop: “${r.title_name}” on ${name}`,
        body: (
          `To ${p.monetization} “${r.title_name}” on ${name} now ` +
          `costs ${p.price} ${p.currency ?? ''} (was ${p.previousPrice}).`
        ).replace(' )', ')'),
        data: {
          ...base,
          monetization: p.monetization,
          price: p.price,
          previousPrice: p.previousPrice,
          currency: p.currency ?? null,
        },
      });
    }
  }
  return out;
}

/** A watchlist title on one of the person's services whose last open offer there ends at `until`. */
export interface LeavingRow {
  user_id: string;
  title_id: string;
  title_name: string;
  platform: string;
  region: string;
  until: Date;
}

/**
 * Watchlist titles leaving one of the person's services (or any service in their region, if they
 * chose that) between `from` and `to`: only where a source gave a future `available_until` and no
 * other open-ended offer keeps the title there. Used for alerts (the next `windowMs`) and the iCal feed.
 */
export async function leavingSoon(db: Queryable, from: number, to: number, userId?: string): Promise<LeavingRow[]> {
  const { rows } = await db.query<LeavingRow>(
    `SELECT w.user_id, o.title_id, t.title AS title_name, o.platform, o.region, max(o.available_until) AS until
     FROM watchlist_index w
     JOIN alert_settings s ON s.user_id = w.user_id
     LEFT JOIN user_settings u ON u.user_id = w.user_id
     JOIN offers o ON o.title_id = w.title_id AND o.region = coalesce(u.region, 'US')
     JOIN titles t ON t.id = o.title_id
     WHERE o.available_until > $1 AND o.available_until <= $2 AND ($3::text IS NULL OR w.user_id = $3)
       AND (s.anywhere_in_region OR cardinality(coalesce(u.services, '{}')) = 0 OR o.platform = ANY(u.services))
       AND NOT EXISTS (SELECT 1 FROM offers k WHERE k.title_id = o.title_id AND k.platform = o.platform
                       AND k.region = o.region AND (k.available_until IS NULL OR k.available_until > $2))
     GROUP BY w.user_id, o.title_id, t.title, o.platform, o.region
     ORDER BY until, o.title_id`,
    [new Date(from), new Date(to), userId ?? null],
  );
  return rows;
}

export async function leavingAlerts(db: Queryable, now: number, windowMs: number): Promise<Alert[]> {
  const rows = await leavingSoon(db, now, now + windowMs);
  const { rows: wanting } = await db.query<{ user_id: string }>(
    `SELECT user_id FROM alert_settings WHERE 'leaving' = ANY(kinds) AND cardinality(channels) > 0`,
  );
  const wants = new Set(wanting.map((w) => w.user_id));
  return rows
    .filter((r) => wants.has(r.user_id))
    .map((r) => {
      const name = platformName(r.platform);
      const date = day(r.until);
      return {
        userId: r.user_id,
        key: `leaving:${r.title_id}:${r.platform}:${r.region}:${date}`,
        kind: 'leaving' as const,
        titleId: r.title_id,
        subject: `“${r.title_name}” leaves ${name} on ${date}`,
        body: `“${r.title_name}” from your watchlist is leaving ${name} in ${r.region} on ${date}.`,
        data: {
          titleId: r.title_id,
          title: r.title_name,
          platform: r.platform,
          region: r.region,
          availableUntil: r.until.toISOString(),
        },
        urgentBefore: r.until.getTime(),
      };
    });
}
