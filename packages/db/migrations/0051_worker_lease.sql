-- The worker lease (issue 16): exactly one process runs the scheduled work (live-source ingestion,
-- recommendation retraining, retention sweeps) whatever the number of worker replicas. The holder
-- renews it well before it expires; another worker takes over only after it has expired.
CREATE TABLE worker_leases (
  name       text PRIMARY KEY,
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL
);
