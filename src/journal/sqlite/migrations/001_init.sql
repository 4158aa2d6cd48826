-- The journal: deployments, their hash-chained events, the chain head, locks, leases and users.
-- Times are ISO-8601 UTC text with milliseconds; JSON is stored as text.

CREATE TABLE deployments (
  id               TEXT PRIMARY KEY,
  service          TEXT NOT NULL,
  environment      TEXT NOT NULL,
  version          TEXT NOT NULL,
  previous_version TEXT,
  requested_by     TEXT NOT NULL,
  plan_hash        TEXT NOT NULL,
  plan             TEXT NOT NULL,               -- PlanSnapshot as JSON
  status           TEXT NOT NULL,               -- projection of its last status.changed event
  queued           INTEGER NOT NULL DEFAULT 0,  -- 1 while waiting for the service/environment lock
  created_seq      INTEGER NOT NULL UNIQUE,     -- seq of its deployment.created event: a total "newest first" order
  lease_epoch      INTEGER NOT NULL DEFAULT 0,  -- survives lease release, so epochs only grow
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX deployments_by_place ON deployments (service, environment, created_seq);

CREATE TABLE events (
  seq           INTEGER PRIMARY KEY,            -- global chain position, from 1
  deployment_id TEXT NOT NULL REFERENCES deployments (id),
  event_index   INTEGER NOT NULL,               -- position within the deployment, from 0
  at            TEXT NOT NULL,
  type          TEXT NOT NULL,
  actor         TEXT,
  data          TEXT NOT NULL,                  -- the exact canonical JSON that was hashed
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL,
  UNIQUE (deployment_id, event_index)
);

-- One row: the last event's seq and hash. Appends update it in their transaction, so a removed tail shows.
CREATE TABLE chain_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- No foreign key: a lock pointing at a missing deployment is treated as stale and replaced.
CREATE TABLE locks (
  service       TEXT NOT NULL,
  environment   TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  acquired_at   TEXT NOT NULL,
  PRIMARY KEY (service, environment)
);
CREATE INDEX locks_by_deployment ON locks (deployment_id);

CREATE TABLE leases (
  deployment_id TEXT PRIMARY KEY REFERENCES deployments (id),
  holder_id     TEXT NOT NULL,
  host          TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  epoch         INTEGER NOT NULL,
  acquired_at   TEXT NOT NULL,
  expires_at    TEXT NOT NULL
);

CREATE TABLE users (
  name       TEXT PRIMARY KEY,
  roles      TEXT NOT NULL,                     -- JSON array of role names
  created_at TEXT NOT NULL
);
