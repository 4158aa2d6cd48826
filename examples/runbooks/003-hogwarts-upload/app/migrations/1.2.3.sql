-- v1.2.3: uploads get a content type and lose the bucket column (moved to configuration). Rolled back by
-- the "Database Rollback" procedure: restore the backup taken before it.
ALTER TABLE uploads ADD COLUMN content_type text NOT NULL DEFAULT 'application/pdf';
ALTER TABLE uploads DROP COLUMN bucket;
