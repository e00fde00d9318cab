-- Signing keys for access tokens (EdDSA). Private keys are stored as JWK; rotation adds a new
-- active key and keeps the old public key published until its tokens have expired.
CREATE TABLE signing_keys (
  kid         text PRIMARY KEY,
  alg         text NOT NULL,
  private_jwk jsonb NOT NULL,
  public_jwk  jsonb NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'retired')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);
