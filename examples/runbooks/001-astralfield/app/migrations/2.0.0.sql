-- The schema of 2.0.0, in production before v2.1.
CREATE TABLE leagues (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE players (id serial PRIMARY KEY, league_id int NOT NULL REFERENCES leagues (id), name text NOT NULL, espn_id text);
INSERT INTO leagues (name) SELECT 'League ' || i FROM generate_series(1, 40) i;
INSERT INTO players (league_id, name, espn_id) SELECT 1 + i % 40, 'Player ' || i, 'espn-' || i FROM generate_series(1, 800) i;
