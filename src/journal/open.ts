// Chooses and opens the journal: GANTRY_DATABASE_URL unset → a SQLite file in the state directory;
// postgres:// → the shared Postgres of a team. Either way the schema is migrated before it is handed out.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, GantryError } from '../errors.js';
import { BatchingJournal } from './batching.js';
import type { Journal } from './journal.js';
import { PostgresJournal } from './postgres/journal.js';
import { SqliteJournal } from './sqlite/journal.js';

export interface OpenJournalOptions {
  /** GANTRY_DATABASE_URL; empty or undefined means the embedded SQLite file. */
  databaseUrl?: string;
  /** GANTRY_HOME, the state directory; holds `gantry.db` for SQLite. */
  home: string;
  /** Group concurrent appends into shared transactions (BatchingJournal). Default true. */
  batchAppends?: boolean;
}

export const SQLITE_FILE = 'gantry.db';

export async function openJournal(options: OpenJournalOptions): Promise<Journal> {
  const backend = openBackend(options);
  try {
    await backend.migrate();
  } catch (error) {
    await backend.close().catch(() => {});
    throw error;
  }
  return options.batchAppends === false ? backend : new BatchingJournal(backend);
}

function openBackend({ databaseUrl, home }: OpenJournalOptions): Journal {
  if (databaseUrl === undefined || databaseUrl.trim() === '') {
    try {
      mkdirSync(home, { recursive: true });
    } catch (cause) {
      throw new GantryError(ErrorCode.journal, `cannot create the state directory ${home}`, {
        where: home,
        hint: 'set GANTRY_HOME to a directory this user can write, or fix its permissions',
        cause,
      });
    }
    return SqliteJournal.open(join(home, SQLITE_FILE));
  }
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return PostgresJournal.connect(databaseUrl);
  const scheme = /^([a-z][\w+.-]*):/i.exec(databaseUrl)?.[1];
  throw new GantryError(
    ErrorCode.usage,
    scheme
      ? `GANTRY_DATABASE_URL uses "${scheme}:", which Gantry cannot store its journal in`
      : 'GANTRY_DATABASE_URL is not a URL',
    {
      hint: 'use postgres://USER:PASSWORD@HOST:5432/DATABASE for Postgres, or unset it to use the SQLite file in GANTRY_HOME',
    },
  );
}
