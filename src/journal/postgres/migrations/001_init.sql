-- The journal: deployments, their hash-chained events, the chain head, locks, leases and users.
-- Event data is TEXT, not jsonb: it is the exact canonical JSON that was hashed, and jsonb would re-format it.

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
  queued           BOOLEAN NOT NULL DEFAULT false,
  created_seq      BIGINT NOT NULL UNIQUE,      -- seq of its deployment.created event: a total "newest first" order
  lease_epoch      BIGINT NOT NULL DEFAULT 0,   -- survives lease release, so epochs only grow
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX deployments_by_place ON deployments (service, environment, created_seq);

CREATE TABLE events (
  seq           BIGINT PRIMARY KEY,             -- global chain position, from 1
  deployment_id TEXT NOT NULL REFERENCES deployments (id),
  event_index   INTEGER NOT NULL,               -- position within the deployment, from 0
  at            TIMESTAMPTZ NOT NULL,           -- written with millisecond precision, as hashed
  type          TEXT NOT NULL,
  actor         TEXT,
  data          TEXT NOT NULL,
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL,
  UNIQUE (deployment_id, event_index)
);

-- One row, locked FOR UPDATE by every transaction that adds events, so the chain stays linear across
-- processes and machines; it also records the last hash, so a removed tail shows.
CREATE TABLE chain_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- No foreign key: a lock pointing at a missing deployment is treated as stale and replaced.
CREATE TABLE locks (
  service       TEXT NOT NULL,
  environment   TEXT NOT NULL,
  deployment_id TEXT NOT NULL,
  acquired_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (service, environment)
);
CREATE INDEX locks_by_deployment ON locks (deployment_id);

CREATE TABLE leases (
  deployment_id TEXT PRIMARY KEY REFERENCES deployments (id),
  holder_id     TEXT NOT NULL,
  host          TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  epoch         BIGINT NOT NULL,
  acquired_at   TIMESTAMPTZ NOT NULL,
  expires_at    TIMESTAMPTZ NOT NULL          -- compared with the database clock, shared by all machines
);

CREATE TABLE users (
  name       TEXT PRIMARY KEY,
  roles      TEXT NOT NULL,                   -- JSON array of role names
  created_at TIMESTAMPTZ NOT NULL
);
