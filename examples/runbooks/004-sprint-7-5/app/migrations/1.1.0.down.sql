-- `alembic downgrade -1` of Sprint 7.5.
DROP INDEX profiles_by_visibility;
ALTER TABLE profiles DROP COLUMN visibility;
