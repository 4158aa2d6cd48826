-- v3.2.0: widget configs become jsonb, legacy map widgets are removed. Rolled back by restoring the backup
-- (runbook: "Restore database from backup: ./scripts/restore_production_db.sh backup_pre_v320.sql").
ALTER TABLE widgets ALTER COLUMN config TYPE jsonb USING config::jsonb;
DELETE FROM widgets WHERE kind = 'map';
