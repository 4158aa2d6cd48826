-- v2.0.0: half-PPR scoring replaces the legacy ranking. It rewrites and drops data, so only the backup
-- taken before it brings v1.9.8's database back (runbook §4: "Restore database if needed").
ALTER TABLE leagues ADD COLUMN draft_format text NOT NULL DEFAULT 'snake';
UPDATE leagues SET scoring = 'half-ppr' WHERE scoring = 'standard';
ALTER TABLE leagues DROP COLUMN legacy_rank;
