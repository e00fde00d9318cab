-- Providers as data (decision 0073). The registry of known services lives in code
-- (packages/domain/src/providers); this table keeps the providers a source reported that the
-- registry does not know, under an id derived from the source's own id (`tmdb-provider-1825`),
-- with the name and logo the source gave, so their offers are kept and shown under that name.
CREATE TABLE providers (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  source      text NOT NULL,
  logo_url    text,
  first_seen  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now()
);

-- An offer on a provider we know only by name may have no link at all: `none`, with no URL.
ALTER TABLE offers ALTER COLUMN web_url DROP NOT NULL;
ALTER TABLE offers DROP CONSTRAINT offers_url_kind_check;
ALTER TABLE offers ADD CONSTRAINT offers_url_kind_check
  CHECK (url_kind IN ('direct', 'search', 'none') AND ((url_kind = 'none') = (web_url IS NULL)));
