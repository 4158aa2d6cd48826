// Applies the numbered SQL files in ./migrations, each with its schema_migrations row in one transaction.
// A transaction-scoped advisory lock makes Gantry instances starting together on other machines wait in turn.

import { checkNotNewer, loadMigrations } from '../migrations.js';
import type { Db, Sql } from './sql.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
/** "gantry" in ASCII: the advisory lock key all Gantry migrations take. */
const MIGRATION_LOCK_KEY = '113723001336441';

export async function migrate(db: Db): Promise<void> {
  const migrations = loadMigrations(MIGRATIONS_DIR);
  for (const migration of migrations) {
    await db.transaction('migrate', async (sql) => {
      const applied = await lockAndReadApplied(sql);
      checkNotNewer(applied, migrations, db.where);
      if (applied.includes(migration.version)) return;
      await sql.query(migration.sql);
      await sql.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [
        migration.version,
        migration.name,
      ]);
    });
  }
}

async function lockAndReadApplied(sql: Sql): Promise<number[]> {
  await sql.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
  await sql.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
  const rows = await sql.query<{ version: number }>('SELECT version FROM schema_migrations');
  return rows.map((row) => row.version);
}
