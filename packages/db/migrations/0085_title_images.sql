-- Artwork as stored references (decision 0109). One row per source record and kind: the record
-- (title_sources) says which canonical title it belongs to, so an image follows its record when
-- resolution moves it, and goes with it. A re-ingested record updates its row, never adds one.
-- `ref` is a stable reference on the source's own image host (TMDb file path, JustWatch path with
-- `{profile}`, Watchmode URL), never a signed or expiring URL; `variants` holds the other sizes a
-- source gave as URLs (Watchmode). `seen_at`: when the source last reported it (the run's time).
CREATE TABLE title_images (
  source        text NOT NULL,
  source_key    text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('poster', 'backdrop')),
  image_source  text NOT NULL,
  ref           text NOT NULL,
  variants      jsonb,
  attribution   text NOT NULL,
  seen_at       timestamptz,
  PRIMARY KEY (source, source_key, kind),
  FOREIGN KEY (source, source_key) REFERENCES title_sources (source, source_key) ON DELETE CASCADE
);

-- Provider logos the sources gave (TMDb logo_path, JustWatch package icon, Streaming Availability's
-- service logo), one per provider and image source; registry providers and the ones kept in
-- `providers` alike. The logo route picks by the same fixed source preference as title artwork.
CREATE TABLE provider_logos (
  provider_id   text NOT NULL,
  image_source  text NOT NULL,
  ref           text NOT NULL,
  seen_at       timestamptz,
  PRIMARY KEY (provider_id, image_source)
);
