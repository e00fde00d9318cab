-- Imports of another tracker's export (Letterboxd, IMDb, Trakt, Netflix; issue 19): one row per
-- uploaded file, with its counts and the per-row report (what matched, how, and what did not).
-- Personal data: listed in the person's export and deleted with the account (privacy/personal-tables.ts).
CREATE TABLE imports (
  id          text PRIMARY KEY,
  user_id     text NOT NULL,
  format      text NOT NULL,
  file_name   text,
  created_at  timestamptz NOT NULL,
  counts      jsonb NOT NULL,
  rows        jsonb NOT NULL,
  -- Feedback event ids this import recorded: re-importing stays a no-op even after the retention
  -- sweep has deleted old events from rec_events.
  event_ids   text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX imports_user_idx ON imports (user_id, created_at DESC);
