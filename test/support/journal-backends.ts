// The journal backends the conformance suite runs against, each with a fresh database per test and a
// test-only raw SQL accessor (a separate connection) for tampering with what the journal wrote.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Journal } from '../../src/journal/journal.js';
import { type OpenJournalOptions, openJournal, SQLITE_FILE } from '../../src/journal/open.js';
import { createScratchDatabase, requirePostgres, type ServiceCheck } from './services.js';

/** Raw SQL on the journal's database, bypassing the journal. Statements must be portable (no parameters). */
export interface RawSql {
  exec(sql: string): Promise<void>;
  rows<T>(sql: string): Promise<T[]>;
}

export interface TestJournal {
  journal: Journal;
  /** Opens another journal instance (another connection) on the same database. */
  options: OpenJournalOptions;
  raw: RawSql;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'postgres';
  check: ServiceCheck;
  open(): Promise<TestJournal>;
}

async function sqliteBackend(): Promise<Backend> {
  return {
    name: 'sqlite',
    check: { available: true },
    async open() {
      const home = mkdtempSync(join(tmpdir(), 'gantry-journal-'));
      const options = { home, batchAppends: false };
      const journal = await openJournal(options);
      const db = new Database(join(home, SQLITE_FILE));
      db.pragma('busy_timeout = 10000');
      return {
        journal,
        options,
        raw: {
          exec: async (sql) => void db.exec(sql),
          rows: async <T>(sql: string) => db.prepare(sql).all() as T[],
        },
        async dispose() {
          await journal.close().catch(() => {});
          db.close();
          rmSync(home, { recursive: true, force: true });
        },
      };
    },
  };
}

async function postgresBackend(): Promise<Backend> {
  return {
    name: 'postgres',
    check: await requirePostgres(),
    async open() {
      const scratch = await createScratchDatabase();
      const home = mkdtempSync(join(tmpdir(), 'gantry-journal-'));
      const options = { databaseUrl: scratch.url, home, batchAppends: false };
      const journal = await openJournal(options);
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      return {
        journal,
        options,
        raw: {
          exec: async (sql) => void (await client.query(sql)),
          rows: async <T>(sql: string) => (await client.query(sql)).rows as T[],
        },
        async dispose() {
          await journal.close().catch(() => {});
          await client.end().catch(() => {});
          await scratch.drop();
          rmSync(home, { recursive: true, force: true });
        },
      };
    },
  };
}

export async function journalBackends(): Promise<Backend[]> {
  return [await sqliteBackend(), await postgresBackend()];
}
