-- Per-person preferences that search, recommendations and the web app share.
CREATE TABLE user_settings (
  user_id          text PRIMARY KEY,
  region           text NOT NULL DEFAULT 'US',
  services         text[] NOT NULL DEFAULT '{}',
  -- Titles picked during onboarding: the cold-start signal for recommendations.
  onboarding_picks text[] NOT NULL DEFAULT '{}',
  updated_at       timestamptz NOT NULL DEFAULT now()
);
