-- Real-time sync (packages/sync): each person's CRDT state is a snapshot plus the updates
-- appended after it. Writes append (durable before the device gets its ack); compaction folds
-- updates into the snapshot. See packages/sync/SPEC.md P1–P4.
CREATE TABLE sync_snapshots (
  user_id    text PRIMARY KEY,
  state      bytea NOT NULL,
  -- Updates with id <= upto_id are folded into `state`.
  upto_id    bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_updates (
  id         bigserial PRIMARY KEY,
  user_id    text NOT NULL,
  update     bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sync_updates_user_idx ON sync_updates (user_id, id);

-- When each device was last connected (presence itself is in memory / Redis).
CREATE TABLE sync_device_seen (
  user_id   text NOT NULL,
  device_id text NOT NULL,
  last_seen timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, device_id)
);
