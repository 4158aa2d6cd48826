// Numbered plain-SQL migrations (`migrations/001_init.sql` …) read from beside each backend's compiled code.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ErrorCode, GantryError } from '../errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d+)_([\w-]+)\.sql$/;

/** The migrations in `dir`, in version order; throws when two share a number. */
export function loadMigrations(dir: URL): Migration[] {
  const path = fileURLToPath(dir);
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (cause) {
    throw new GantryError(ErrorCode.internal, `the journal's migrations are missing`, {
      where: path,
      hint: 'reinstall Gantry, or run `npm run build` so the .sql files are copied into dist/',
      cause,
    });
  }
  const migrations: Migration[] = [];
  for (const file of names) {
    const match = FILE.exec(file);
    if (!match) continue;
    migrations.push({ version: Number(match[1]), name: file, sql: readFileSync(new URL(file, dir), 'utf8') });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.version === migrations[i - 1]?.version) {
      throw new GantryError(ErrorCode.internal, `two migrations share version ${migrations[i]?.version}`, {
        where: path,
      });
    }
  }
  return migrations;
}

/** Refuses a database that a newer Gantry already migrated: this one would misread its tables. */
export function checkNotNewer(
  appliedVersions: readonly number[],
  known: readonly Migration[],
  where: string,
): void {
  const newest = known.at(-1)?.version ?? 0;
  const ahead = appliedVersions.filter((version) => version > newest);
  if (ahead.length === 0) return;
  throw new GantryError(
    ErrorCode.journal,
    `the journal database has migration ${Math.max(...ahead)}, newer than this Gantry knows (${newest})`,
    {
      where,
      hint: 'upgrade Gantry to the version the other processes sharing this database run',
    },
  );
}
