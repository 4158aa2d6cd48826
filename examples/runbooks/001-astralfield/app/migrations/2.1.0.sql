-- v2.1: ESPN ids move to a projections column; the old column goes. Undone only by restoring the backup
-- ("Rollback Migration": psql $DATABASE_URL < backup_pre_migration.sql).
ALTER TABLE players ADD COLUMN projections jsonb NOT NULL DEFAULT '{}';
UPDATE players SET projections = jsonb_build_object('espn', espn_id);
ALTER TABLE players DROP COLUMN espn_id;
