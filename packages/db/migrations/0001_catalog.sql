-- Canonical titles, the source records that were resolved onto them, external ids, offers,
-- resolution overrides, ingestion runs with their per-row problems, and catalog change events.

CREATE TABLE titles (
  id                 text PRIMARY KEY,
  kind               text NOT NULL CHECK (kind IN ('movie', 'series')),
  title              text NOT NULL,
  original_title     text,
  alternate_titles   text[] NOT NULL DEFAULT '{}',
  norm_title         text NOT NULL,
  year               int,
  runtime_minutes    int,
  seasons            int,
  genres             text[] NOT NULL DEFAULT '{}',
  maturity_label     text,
  maturity_system    text,
  maturity_min_age   int,
  countries          text[] NOT NULL DEFAULT '{}',
  languages          text[] NOT NULL DEFAULT '{}',
  directors          text[] NOT NULL DEFAULT '{}',
  cast_members       text[] NOT NULL DEFAULT '{}',
  creators           text[] NOT NULL DEFAULT '{}',
  description        text,
  description_source text,
  -- Popularity hint from a source (e.g. log10 of IMDb votes); for ranking only, never shown as a score.
  popularity         real,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX titles_norm_title_idx ON titles (norm_title);
CREATE INDEX titles_kind_year_idx ON titles (kind, year, id);
CREATE INDEX titles_genres_idx ON titles USING gin (genres);

-- One row per record a source gave us, and the title it was resolved onto (with why).
CREATE TABLE title_sources (
  source       text NOT NULL,
  source_key   text NOT NULL,
  title_id     text NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
  record       jsonb NOT NULL,
  record_hash  text NOT NULL,
  method       text NOT NULL,      -- new | override | existing | external-id | evidence
  confidence   real NOT NULL,
  reason       text NOT NULL,
  first_seen   timestamptz NOT NULL DEFAULT now(),
  last_seen    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_key)
);
CREATE INDEX title_sources_title_idx ON title_sources (title_id);

-- Ids that identify a title across systems. An IMDb id belongs to exactly one canonical title.
CREATE TABLE external_ids (
  namespace  text NOT NULL,        -- imdb | tmdb | justwatch | watchmode | platform:<id>
  value      text NOT NULL,
  title_id   text NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
  source     text NOT NULL,
  first_seen timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (namespace, value)
);
CREATE INDEX external_ids_title_idx ON external_ids (title_id);

CREATE TABLE offers (
  source          text NOT NULL,
  source_key      text NOT NULL,
  platform        text NOT NULL,
  region          text NOT NULL,
  monetization    text NOT NULL CHECK (monetization IN ('subscription', 'free', 'ads', 'rent', 'buy', 'addon')),
  title_id        text NOT NULL REFERENCES titles (id) ON DELETE CASCADE,
  price           double precision,
  currency        text,
  quality         text,
  web_url         text NOT NULL,
  url_kind        text NOT NULL CHECK (url_kind IN ('direct', 'search')),
  app_url         text,
  native_id       text,
  available_from  timestamptz,
  available_until timestamptz,
  first_seen      timestamptz NOT NULL DEFAULT now(),
  last_seen       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_key, platform, region, monetization)
);
CREATE INDEX offers_title_idx ON offers (title_id);
CREATE INDEX offers_platform_region_idx ON offers (platform, region, title_id);

-- Operator decisions that re-ingestion must respect.
CREATE TABLE resolution_overrides (
  source          text NOT NULL,
  source_key      text NOT NULL,
  action          text NOT NULL CHECK (action IN ('split', 'merge')),
  target_title_id text,
  note            text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, source_key)
);

CREATE TABLE ingest_runs (
  id          text PRIMARY KEY,
  source      text NOT NULL,
  mode        text NOT NULL DEFAULT 'file',
  status      text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  counts      jsonb NOT NULL DEFAULT '{}',
  checkpoint  jsonb,
  error       text
);
CREATE INDEX ingest_runs_source_idx ON ingest_runs (source, started_at DESC);

CREATE TABLE ingest_problems (
  run_id  text NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
  file    text NOT NULL,
  row_no  int NOT NULL,
  field   text NOT NULL,
  reason  text NOT NULL
);
CREATE INDEX ingest_problems_run_idx ON ingest_problems (run_id);

-- Append-only change feed: search and recommendation indexes follow it to update incrementally.
CREATE TABLE catalog_events (
  seq        bigserial PRIMARY KEY,
  type       text NOT NULL,        -- title.created | title.updated | offer.added | offer.removed | offer.price_changed
  title_id   text NOT NULL,
  payload    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
