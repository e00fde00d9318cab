-- Identity and the OAuth 2.0 authorization server (issue 3). Secrets (refresh tokens, codes,
-- session ids, passwords) are stored only as hashes; see docs/decisions/0030-0032.

-- People. A person may have a local password and any number of linked upstream identities.
CREATE TABLE users (
  id            text PRIMARY KEY,
  email         text,
  display_name  text,
  password_hash text,
  is_admin      boolean NOT NULL DEFAULT false,
  -- Access tokens issued before this instant are refused (logout everywhere, password change).
  tokens_valid_after timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  deleted_at    timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE user_identities (
  provider   text NOT NULL,
  subject    text NOT NULL,
  user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email      text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- OAuth clients: first-party public clients are seeded below; MCP clients register (RFC 7591).
CREATE TABLE oauth_clients (
  client_id          text PRIMARY KEY,
  client_secret_hash text,
  name               text NOT NULL,
  redirect_uris      text[] NOT NULL DEFAULT '{}',
  grant_types        text[] NOT NULL,
  scopes             text[] NOT NULL,
  first_party        boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now()
);

INSERT INTO oauth_clients (client_id, name, redirect_uris, grant_types, scopes, first_party) VALUES
  ('mg-web', 'Media Gateway web app', '{}',
   '{authorization_code,refresh_token}', '{catalog:read,watchlist:read,watchlist:write,devices,recommendations,admin}', true),
  ('mg-cli', 'Media Gateway CLI', '{}',
   '{urn:ietf:params:oauth:grant-type:device_code,authorization_code,refresh_token}', '{catalog:read,watchlist:read,watchlist:write,devices,recommendations,admin}', true),
  ('mg-tv', 'Media Gateway TV', '{}',
   '{urn:ietf:params:oauth:grant-type:device_code,refresh_token}', '{catalog:read,watchlist:read,watchlist:write,devices,recommendations}', true);

-- One row per grant ("family"): every refresh token rotated from the same sign-in shares it.
CREATE TABLE token_families (
  id             text PRIMARY KEY,
  client_id      text NOT NULL,
  user_id        text NOT NULL,
  scopes         text[] NOT NULL,
  -- The authorization code this grant came from, so a replayed code revokes it (RFC 6749 §4.1.2).
  code_hash      text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text
);
CREATE INDEX token_families_user ON token_families (user_id);
CREATE INDEX token_families_revoked ON token_families (revoked_at) WHERE revoked_at IS NOT NULL;

CREATE TABLE refresh_tokens (
  token_hash     text PRIMARY KEY,
  family_id      text NOT NULL REFERENCES token_families(id) ON DELETE CASCADE,
  client_id      text NOT NULL,
  scopes         text[] NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  idle_expires_at timestamptz NOT NULL,
  rotated_at     timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE authorization_codes (
  code_hash      text PRIMARY KEY,
  client_id      text NOT NULL,
  user_id        text NOT NULL,
  redirect_uri   text NOT NULL,
  scopes         text[] NOT NULL,
  code_challenge text,
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);

CREATE TABLE device_codes (
  device_code_hash text PRIMARY KEY,
  user_code        text NOT NULL UNIQUE,
  client_id        text NOT NULL,
  scopes           text[] NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied', 'used')),
  user_id          text,
  interval_seconds integer NOT NULL,
  last_polled_at   timestamptz,
  expires_at       timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Browser sessions for the sign-in, consent and device pages (and the web app).
CREATE TABLE web_sessions (
  id_hash    text PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

-- Upstream OIDC logins in flight: state → PKCE verifier and nonce (10 minutes).
CREATE TABLE oidc_login_states (
  state         text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce         text NOT NULL,
  return_to     text NOT NULL,
  link_user_id  text,
  expires_at    timestamptz NOT NULL
);

-- Server-side secrets generated on first start (e.g. the key that derives refresh successors).
CREATE TABLE auth_secrets (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id         bigserial PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  event      text NOT NULL,
  user_id    text,
  client_id  text,
  ip         text,
  details    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
