-- The schema of prod-v1.0.0, in production before Sprint 7.5.
CREATE TABLE profiles (id serial PRIMARY KEY, handle text NOT NULL UNIQUE, bio text);
INSERT INTO profiles (handle, bio) SELECT 'user' || i, 'bio ' || i FROM generate_series(1, 1000) i;
