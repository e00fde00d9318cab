import { createHash } from 'node:crypto';
import { getUserSettings } from '@media-gateway/catalog';
import type { Queryable } from '@media-gateway/db';
import { readDevices, readProgress, readWatchlist } from '@media-gateway/sync';
import type { AppContext } from '../context.ts';
import { exportAlerts } from '../alerts/export-alerts.ts';
import { exportImports } from '../imports/import-store.ts';
import { TABLES } from './personal-tables.ts';

/** Version of the export document; its JSON Schema is docs/privacy/export.schema.json. */
export const EXPORT_FORMAT = 'media-gateway.person-export.v1';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * Everything held about one person, in one document (issue 15): account, linked identities (no
 * secrets), settings, watchlist, progress, devices, feedback events, the adapter's summary, grants
 * and sessions (metadata only) and the audit entries about them.
 */
export async function exportPerson(ctx: AppContext, userId: string): Promise<Record<string, unknown>> {
  const db = ctx.db;
  const one = async <T>(sql: string, params: unknown[]) => (await db.query<T>(sql, params)).rows;
  const [account] = await one<{
    id: string;
    email: string | null;
    display_name: string | null;
    is_admin: boolean;
    created_at: Date;
  }>('SELECT id, email, display_name, is_admin, created_at FROM users WHERE id = $1 AND deleted_at IS NULL', [userId]);
  const identities = await one<{ provider: string; email: string | null; created_at: Date }>(
    'SELECT provider, email, created_at FROM user_identities WHERE user_id = $1 ORDER BY created_at',
    [userId],
  );
  const grants = await one<{
    id: string;
    client_id: string;
    scopes: string[];
    created_at: Date;
    revoked_at: Date | null;
  }>(
    'SELECT id, client_id, scopes, created_at, revoked_at FROM token_families WHERE user_id = $1 ORDER BY created_at',
    [userId],
  );
  const sessions = await one<{
    user_agent: string | null;
    created_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
  }>('SELECT user_agent, created_at, expires_at, revoked_at FROM web_sessions WHERE user_id = $1 ORDER BY created_at', [
    userId,
  ]);
  const events = await one<{
    client_event_id: string;
    type: string;
    title_id: string;
    value: number | null;
    context: unknown;
    occurred_at: Date;
  }>(
    'SELECT client_event_id, type, title_id, value, context, occurred_at ' +
      'FROM rec_events WHERE user_id = $1 ORDER BY occurred_at, client_event_id',
    [userId],
  );
  const [adapter] = await one<{ events: number; updated_at: Date; bytes: number }>(
    'SELECT events, updated_at, octet_length(state) AS bytes FROM rec_user_state WHERE user_id = $1',
    [userId],
  );
  const audit = await one<{ at: Date; event: string; ip: string | null; details: unknown }>(
    'SELECT at, event, ip, details FROM audit_log WHERE user_id = $1 ORDER BY at',
    [userId],
  );
  const hub = await ctx.services.sync();
  const sync = await hub.read(userId, (doc) => ({
    watchlist: readWatchlist(doc),
    progress: [...readProgress(doc)].map(([titleId, p]) => ({ titleId, ...p })),
    devices: readDevices(doc),
  }));
  const settings = await getUserSettings(db, userId);
  const imports = await exportImports(db, userId);
  const alerts = await exportAlerts(db, userId);
  return {
    format: EXPORT_FORMAT,
    exportedAt: new Date(ctx.clock.now()).toISOString(),
    account: account
      ? {
          id: account.id,
          email: account.email,
          displayName: account.display_name,
          isAdmin: account.is_admin,
          createdAt: iso(account.created_at),
        }
      : { id: userId, email: null, displayName: null, isAdmin: false, createdAt: null },
    identities: identities.map((i) => ({ provider: i.provider, email: i.email, linkedAt: iso(i.created_at) })),
    settings: { region: settings.region, services: settings.services, onboardingPicks: settings.onboardingPicks },
    watchlist: sync.watchlist,
    progress: sync.progress,
    devices: sync.devices,
    feedbackEvents: events.map((e) => ({
      id: e.client_event_id,
      type: e.type,
      titleId: e.title_id,
      value: e.value,
      context: e.context,
      at: iso(e.occurred_at),
    })),
    recommendationProfile: adapter
      ? { events: adapter.events, updatedAt: iso(adapter.updated_at), bytes: Number(adapter.bytes) }
      : null,
    grants: grants.map((g) => ({
      id: g.id,
      clientId: g.client_id,
      scopes: g.scopes,
      createdAt: iso(g.created_at),
      revokedAt: iso(g.revoked_at),
    })),
    sessions: sessions.map((s) => ({
      userAgent: s.user_agent,
      createdAt: iso(s.created_at),
      expiresAt: iso(s.expires_at),
      revokedAt: iso(s.revoked_at),
    })),
    audit: audit.map((a) => ({ at: iso(a.at), event: a.event, ip: a.ip, details: a.details })),
    imports,
    alerts,
  };
}

/**
 * Erasure: after the auth server has ended every session and grant (so every replica refuses the
 * person's tokens and closes their sockets), every row about the person is deleted, or anonymised
 * where a row must stay (revoked grants, under a tombstone id), in one transaction, as the data map
 * in personal-tables.ts says. In-memory state here is dropped too; other replicas drop theirs when
 * the closed sockets leave their rooms idle.
 */
export async function erasePersonData(
  ctx: AppContext,
  userId: string,
  email: string | null,
): Promise<Record<string, number>> {
  const tombstone = `erased_${createHash('sha256')
    .update(`${userId}:${ctx.clock.now()}:${Math.random()}`)
    .digest('hex')
    .slice(0, 16)}`;
  const counts: Record<string, number> = {};
  await ctx.db.transaction(async (tx: Queryable) => {
    for (const [table, rule] of Object.entries(TABLES)) {
      if (rule.kind === 'not-personal') continue;
      const named = sqlWithNames(
        rule.kind === 'delete'
          ? `DELETE FROM ${table} WHERE ${rule.where}`
          : `UPDATE ${table} SET ${rule.set} WHERE ${rule.where}`,
        { user: userId, email: email?.toLowerCase() ?? null, tombstone },
      );
      const res = await tx.query(named.sql, named.params);
      counts[table] = res.rowCount ?? 0;
    }
    // The erasure itself is recorded, without naming whom.
    await tx.query("INSERT INTO audit_log (event, details) VALUES ('user.erased', $1::jsonb)", [
      JSON.stringify({ tables: Object.keys(counts).length }),
    ]);
  });
  // Only a hub this process already runs can hold the person's state; never start one to forget.
  (await ctx.services.startedSync()?.catch(() => undefined))?.forget(userId);
  return counts;
}

/** `:name` placeholders to `$n`, each name bound once, only the ones the statement uses. */
function sqlWithNames(sql: string, values: Record<string, unknown>): { sql: string; params: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/:(user|email|tombstone)\b/g, (_, name: string) => {
    if (!order.includes(name)) order.push(name);
    return `$${order.indexOf(name) + 1}`;
  });
  return { sql: text, params: order.map((n) => values[n]) };
}
