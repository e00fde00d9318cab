/**
 * The data map, as code: every table in the schema and what erasing a person does to it. A test
 * compares this list with the database's own catalog, so a new table cannot be added without
 * deciding here (and in docs/privacy.md) whether it holds personal data.
 */
export type TableRule =
  | { kind: 'delete'; where: string; why: string }
  | { kind: 'anonymise'; set: string; where: string; why: string }
  | { kind: 'not-personal'; why: string };

/** Placeholders: `:user` the user id, `:email` the email (lower-case, may be null), `:tombstone` a new opaque id. */
export const TABLES: Record<string, TableRule> = {
  users: { kind: 'delete', where: 'id = :user', why: 'the account itself' },
  user_identities: { kind: 'delete', where: 'user_id = :user', why: 'linked upstream sign-ins' },
  web_sessions: { kind: 'delete', where: 'user_id = :user', why: 'browser sessions' },
  mcp_sessions: { kind: 'delete', where: 'subject = :user', why: 'AI-agent sessions bound to the person' },
  authorization_codes: { kind: 'delete', where: 'user_id = :user', why: 'short-lived codes' },
  device_codes: { kind: 'delete', where: 'user_id = :user', why: 'device pairings' },
  oidc_login_states: { kind: 'delete', where: 'link_user_id = :user', why: 'sign-ins in progress' },
  token_families: {
    kind: 'anonymise',
    set: 'user_id = :tombstone',
    where: 'user_id = :user',
    why:
      'kept, revoked, under a tombstone id: replicas must go ' +
      'on refusing the grant’s access tokens until they expire',
  },
  refresh_tokens: { kind: 'not-personal', why: 'hashes tied to a grant (token_families), never to a person directly' },
  audit_log: {
    kind: 'delete',
    where:
      'user_id = :user OR position(:user in details::text) > 0 ' +
      'OR (:email::text IS NOT NULL AND position(:email in lower(details::text)) > 0)',
    why: 'security events about the person (sign-ins, failures naming their email)',
  },
  user_settings: { kind: 'delete', where: 'user_id = :user', why: 'region, services, onboarding picks' },
  sync_snapshots: {
    kind: 'delete',
    where: 'user_id = :user',
    why: 'watchlist, progress, devices, handoffs (CRDT state)',
  },
  sync_updates: { kind: 'delete', where: 'user_id = :user', why: 'the same, not yet compacted' },
  sync_device_seen: { kind: 'delete', where: 'user_id = :user', why: 'when each device was last connected' },
  alert_settings: {
    kind: 'delete',
    where: 'user_id = :user',
    why: 'alert choices, email address, webhook URL and secret, feed token',
  },
  watchlist_index: { kind: 'delete', where: 'user_id = :user', why: 'which titles are on the watchlist (derived)' },
  watchlist_index_state: { kind: 'delete', where: 'user_id = :user', why: 'when that index was refreshed' },
  alert_deliveries: { kind: 'delete', where: 'user_id = :user', why: 'alerts sent or waiting to be sent' },
  notifications: { kind: 'delete', where: 'user_id = :user', why: 'the in-app notification centre' },
  push_subscriptions: { kind: 'delete', where: 'user_id = :user', why: 'browser push endpoints and keys' },
  rec_events: { kind: 'delete', where: 'user_id = :user', why: 'feedback events' },
  rec_user_state: { kind: 'delete', where: 'user_id = :user', why: 'the person’s recommendation adapter' },
  imports: { kind: 'delete', where: 'user_id = :user', why: 'imports from other trackers and their reports' },
  rec_models: {
    kind: 'not-personal',
    why:
      'item-to-item models over everyone (co-watching, and what ' +
      'people watched next); retrained daily without the erased events',
  },
  rec_trends: { kind: 'not-personal', why: 'per-title trend scores per region and platform, no person' },
  titles: { kind: 'not-personal', why: 'catalog' },
  title_sources: { kind: 'not-personal', why: 'catalog provenance' },
  external_ids: { kind: 'not-personal', why: 'catalog' },
  offers: { kind: 'not-personal', why: 'catalog' },
  offer_closures: { kind: 'not-personal', why: 'catalog' },
  providers: { kind: 'not-personal', why: 'catalog: streaming services sources reported' },
  title_images: { kind: 'not-personal', why: 'catalog: artwork references the sources gave' },
  provider_logos: { kind: 'not-personal', why: 'catalog: provider logo references the sources gave' },
  resolution_overrides: { kind: 'not-personal', why: 'administrators’ catalog decisions' },
  ingest_runs: { kind: 'not-personal', why: 'ingestion history' },
  ingest_problems: { kind: 'not-personal', why: 'ingestion row problems' },
  ingest_source_locks: { kind: 'not-personal', why: 'worker locks' },
  worker_leases: { kind: 'not-personal', why: 'which worker process runs the scheduled work' },
  ingest_sweeps: { kind: 'not-personal', why: 'worker state' },
  ingest_sweep_pages: { kind: 'not-personal', why: 'worker state' },
  catalog_events: { kind: 'not-personal', why: 'catalog change feed' },
  alert_cursor: { kind: 'not-personal', why: 'how far the alert engine has read the catalog change feed' },
  signing_keys: { kind: 'not-personal', why: 'our token signing keys' },
  oauth_clients: { kind: 'not-personal', why: 'registered applications' },
  auth_secrets: { kind: 'not-personal', why: 'server secrets' },
  schema_migrations: { kind: 'not-personal', why: 'schema version' },
};
