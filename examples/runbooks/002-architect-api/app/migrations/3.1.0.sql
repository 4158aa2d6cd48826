-- The schema of 3.1.0, in production (blue) before v3.2.0.
CREATE TABLE projects (id serial PRIMARY KEY, name text NOT NULL, owner text NOT NULL);
CREATE TABLE widgets (id serial PRIMARY KEY, project_id int NOT NULL REFERENCES projects (id), kind text NOT NULL, config text);
INSERT INTO projects (name, owner) SELECT 'Project ' || i, 'owner' || (i % 7) || '@example.com' FROM generate_series(1, 120) i;
INSERT INTO widgets (project_id, kind, config) SELECT 1 + i % 120, (ARRAY['chart', 'table', 'map'])[1 + i % 3], '{"v":1}' FROM generate_series(1, 2000) i;
