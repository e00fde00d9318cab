-- "Watched next" rows trained beside the EASE model from the order of people's events (decision 0112),
-- in the same sparse layout. Null for models trained before: the ranker then has no sequence channel
-- until the next retrain.
ALTER TABLE rec_models ADD COLUMN transitions bytea;
