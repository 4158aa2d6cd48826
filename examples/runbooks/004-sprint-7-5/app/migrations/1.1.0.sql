-- Sprint 7.5: profiles get a visibility setting and an index on it.
ALTER TABLE profiles ADD COLUMN visibility text NOT NULL DEFAULT 'public';
CREATE INDEX profiles_by_visibility ON profiles (visibility);
