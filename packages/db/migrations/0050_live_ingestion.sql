-- Live-source ingestion: one run per source at a time (lock with heartbeat), resumable sweeps
-- (where each listing page starts), and offers a full sweep closed (so they can be re-opened).

CREATE TABLE ingest_source_locks (
  source       text PRIMARY KEY,      -- base source name: tmdb, watchmode, …
  holder       text NOT NULL,         -- pid@host of the process running it
  acquired_at  timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- The current or last sweep of a source name (tmdb:US) in a mode; in_progress sweeps resume.
CREATE TABLE ingest_sweeps (
  source      text NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('full', 'incremental')),
  status      text NOT NULL CHECK (status IN ('in_progress', 'done')),
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (source, mode)
);

-- Where each page of the in-progress sweep starts: the resume point is the last page at or before the checkpoint row.
CREATE TABLE ingest_sweep_pages (
  source    text NOT NULL,
  mode      text NOT NULL,
  first_row int NOT NULL,
  cursor    jsonb,
  PRIMARY KEY (source, mode, first_row)
);

-- Offers a completed full sweep did not see: available_until was set to the sweep start.
CREATE TABLE offer_closures (
  source         text NOT NULL,
  source_key     text NOT NULL,
  platform       text NOT NULL,
  region         text NOT NULL,
  monetization   text NOT NULL,
  closed_at      timestamptz NOT NULL,
  previous_until timestamptz,
  PRIMARY KEY (source, source_key, platform, region, monetization)
);
