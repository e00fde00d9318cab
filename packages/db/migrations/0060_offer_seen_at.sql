-- When the SOURCE saw each offer (issue 15), apart from last_seen (when we last ingested it, used by
-- the sweep lifecycle). NULL = the source did not say: a file imported without --as-of.
-- Re-importing an older snapshot never moves it back: writes keep the greatest known time.
ALTER TABLE offers ADD COLUMN seen_at timestamptz;
-- Live sources fetched what they report at ingestion time; the bundled sample is as of 2025-06-01.
-- Rows from files keep NULL: we do not know how old those snapshots were.
UPDATE offers SET seen_at = last_seen WHERE source IN ('tmdb', 'watchmode', 'streaming-availability', 'justwatch', 'youtube');
UPDATE offers SET seen_at = '2025-06-01T00:00:00Z' WHERE source = 'sample';
