-- The schema of v1.9.8-stable, the version in production before this release.
CREATE TABLE leagues (id serial PRIMARY KEY, name text NOT NULL, scoring text NOT NULL, legacy_rank int);
CREATE TABLE teams (id serial PRIMARY KEY, league_id int NOT NULL REFERENCES leagues (id), name text NOT NULL);
INSERT INTO leagues (name, scoring, legacy_rank) SELECT 'League ' || i, (ARRAY['ppr', 'standard'])[1 + i % 2], i FROM generate_series(1, 50) i;
INSERT INTO teams (league_id, name) SELECT 1 + i % 50, 'Team ' || i FROM generate_series(1, 600) i;
