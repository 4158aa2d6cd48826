-- API tokens for `gantry server`: only a SHA-256 of each secret is stored; tokens expire and are revoked,
-- never deleted, so `gantry token list` keeps showing who had access and until when.

CREATE TABLE tokens (
  id           TEXT PRIMARY KEY,                -- public part of the token, e.g. "t-1a2b3c4d5e"
  user_name    TEXT NOT NULL REFERENCES users (name),
  secret_hash  TEXT NOT NULL,                   -- hex SHA-256 of the secret part
  description  TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  expires_at   TEXT,                            -- NULL: never expires
  revoked_at   TEXT
);
CREATE INDEX tokens_by_user ON tokens (user_name);
