// Applies the numbered SQL files in ./migrations, each with its schema_migrations row in one BEGIN IMMEDIATE
// transaction, so two processes starting at once apply each migration exactly once.

import { checkNotNewer, loadMigrations } from '../migrations.js';
import type { Sql } from './sql.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export function migrate(sql: Sql): void {
  const migrations = loadMigrations(MIGRATIONS_DIR);
  sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = () =>
    sql.all<{ version: number }>('SELECT version FROM schema_migrations').map((row) => row.version);
  checkNotNewer(applied(), migrations, sql.path);
  for (const migration of migrations) {
    sql.write(() => {
      // Checked inside the write lock: another process may have applied it since we looked.
      if (applied().includes(migration.version)) return;
      sql.exec(migration.sql);
      sql.run(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    });
  }
}
