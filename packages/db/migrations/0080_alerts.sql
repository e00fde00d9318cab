-- Availability alerts (issue 19, decision 0120): per-person alert settings, a derived index of who
-- has which title on their watchlist, the engine's cursor into catalog_events, one row per alert,
-- person and channel (the exactly-once key), the in-app notification centre and Web Push endpoints.

CREATE TABLE alert_settings (
  user_id            text PRIMARY KEY,
  kinds              text[] NOT NULL DEFAULT '{}',   -- available | leaving | price_drop
  channels           text[] NOT NULL DEFAULT '{}',   -- inapp | webhook | email | push
  anywhere_in_region boolean NOT NULL DEFAULT false, -- "available" also on services the person does not have
  quiet_start        text,                           -- HH:MM local time, with quiet_end and time_zone
  quiet_end          text,
  time_zone          text NOT NULL DEFAULT 'UTC',
  digest             text NOT NULL DEFAULT 'immediate' CHECK (digest IN ('immediate', 'daily')),
  digest_hour        int NOT NULL DEFAULT 8 CHECK (digest_hour BETWEEN 0 AND 23),
  email              text,
  webhook_url        text,
  webhook_secret     text,
  feed_token         text UNIQUE,                    -- the leaving-soon iCal feed; revocable
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Who has which title on their watchlist, derived from the CRDT documents of people with alerts on.
-- `signature` is what sync_snapshots/sync_updates held at the last refresh: unchanged = still right.
CREATE TABLE watchlist_index (
  user_id  text NOT NULL,
  title_id text NOT NULL,
  PRIMARY KEY (title_id, user_id)
);
CREATE INDEX watchlist_index_user_idx ON watchlist_index (user_id);
CREATE TABLE watchlist_index_state (
  user_id      text PRIMARY KEY,
  signature    text NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now()
);

-- How far the alert engine has read catalog_events (one row per engine name).
CREATE TABLE alert_cursor (
  name text PRIMARY KEY,
  seq  bigint NOT NULL
);

-- One row per (person, alert, channel): inserted with ON CONFLICT DO NOTHING before anything is
-- sent, so two engines (replicas, or a lease handover) never send one alert twice on a channel.
CREATE TABLE alert_deliveries (
  user_id         text NOT NULL,
  alert_key       text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('inapp', 'webhook', 'email', 'push')),
  kind            text NOT NULL,
  payload         jsonb NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        int NOT NULL DEFAULT 0,
  -- Not before this time: quiet hours, the digest hour, or the next retry.
  due_at          timestamptz NOT NULL,
  -- A sender claimed it until then; another may take it over after (a sender that died).
  claimed_until   timestamptz,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  last_error      text,
  PRIMARY KEY (user_id, alert_key, channel)
);
CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (status, due_at);

-- The in-app notification centre.
CREATE TABLE notifications (
  id         text PRIMARY KEY,
  user_id    text NOT NULL,
  alert_key  text NOT NULL,
  kind       text NOT NULL,
  title_id   text,
  subject    text NOT NULL,
  body       text NOT NULL,
  created_at timestamptz NOT NULL,
  read_at    timestamptz,
  UNIQUE (user_id, alert_key)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);

-- Web Push subscriptions (the browser's endpoint and its keys, RFC 8291).
CREATE TABLE push_subscriptions (
  user_id    text NOT NULL,
  endpoint   text NOT NULL,
  p256dh     text NOT NULL,
  auth       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, endpoint)
);
