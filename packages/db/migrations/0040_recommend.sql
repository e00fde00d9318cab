-- Recommendations (SONA): feedback events, per-user adapter state, trained base models and the
-- global time-decayed trend counters per region and service.

-- Every feedback event a person sent. (user_id, client_event_id) makes a resend a no-op.
CREATE TABLE rec_events (
  user_id          text NOT NULL,
  client_event_id  text NOT NULL,
  type             text NOT NULL CHECK (type IN ('view', 'click', 'play', 'progress', 'complete', 'rating', 'like',
                                                  'dislike', 'watchlist_add', 'watchlist_remove', 'search_click')),
  title_id         text NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
  -- rating: 1..5; progress: fraction 0..1; otherwise null.
  value            real,
  context          jsonb NOT NULL DEFAULT '{}',
  occurred_at      timestamptz NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, client_event_id)
);
CREATE INDEX rec_events_user_idx ON rec_events (user_id, occurred_at);
CREATE INDEX rec_events_time_idx ON rec_events (occurred_at);

-- The per-user adapter (low-rank correction + consolidation anchor + history), binary, <= 64 KB.
CREATE TABLE rec_user_state (
  user_id     text PRIMARY KEY,
  state       bytea NOT NULL,
  events      int NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Base models written by the training job; the newest one is served until the next retrain.
CREATE TABLE rec_models (
  id          text PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  catalog_seq bigint NOT NULL DEFAULT 0,
  stats       jsonb NOT NULL DEFAULT '{}',
  model       bytea NOT NULL
);

-- Global adapter: a time-decayed interest score per (region, platform, title); `score` is the
-- value at `updated_at`, decayed on read with the half-life in the recommend package.
CREATE TABLE rec_trends (
  region      text NOT NULL,
  platform    text NOT NULL,
  title_id    text NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
  score       double precision NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (region, platform, title_id)
);
