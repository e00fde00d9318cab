-- Search: a weighted full-text document per title (title A > people B > genres C > description D)
-- kept by a trigger, because a generated column cannot call array_to_string (not IMMUTABLE).
-- Plain ADD COLUMN without a default does not rewrite the table. The 'english' configuration is
-- used for every field so query and document are stemmed alike; unaccent is deliberately not used
-- here: on PostgreSQL test schemas the extension may live in a schema that another test drops.

ALTER TABLE titles ADD COLUMN search_tsv tsvector;

CREATE OR REPLACE FUNCTION titles_search_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_tsv :=
    setweight(to_tsvector('english', coalesce(NEW.title, '') || ' ' || coalesce(NEW.original_title, '') || ' '
      || array_to_string(NEW.alternate_titles, ' ')), 'A')
    || setweight(to_tsvector('english', array_to_string(NEW.directors, ' ') || ' ' || array_to_string(NEW.cast_members, ' ')
      || ' ' || array_to_string(NEW.creators, ' ')), 'B')
    || setweight(to_tsvector('english', replace(array_to_string(NEW.genres, ' '), '-', ' ')), 'C')
    || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'D');
  RETURN NEW;
END
$$;

CREATE TRIGGER titles_search_tsv_trg BEFORE INSERT OR UPDATE ON titles
  FOR EACH ROW EXECUTE FUNCTION titles_search_tsv();

-- Fill existing rows (the trigger computes the value).
UPDATE titles SET search_tsv = NULL;

CREATE INDEX titles_search_tsv_idx ON titles USING gin (search_tsv);
CREATE INDEX titles_popularity_idx ON titles (popularity DESC NULLS LAST, id);
