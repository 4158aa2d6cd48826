// The slice of better-sqlite3 the journal uses: cached statements, BEGIN IMMEDIATE writes, and errors
// turned into GantryErrors that say which file and what to check.

import Database from 'better-sqlite3';
import { ErrorCode, GantryError, isGantryError, toError } from '../../errors.js';

type Param = string | number | null;

export interface Sql {
  readonly path: string;
  get<T>(sql: string, ...params: Param[]): T | undefined;
  all<T>(sql: string, ...params: Param[]): T[];
  run(sql: string, ...params: Param[]): number;
  exec(sql: string): void;
  /**
   * Runs `fn` in BEGIN IMMEDIATE: the write lock is taken up front, so a transaction never fails half-way
   * on SQLITE_BUSY after reading; other processes wait up to `BUSY_TIMEOUT_MS` for it.
   */
  write<T>(fn: () => T): T;
  close(): void;
}

export const BUSY_TIMEOUT_MS = 10_000;

/** Opens the file shared by the CLI and detached engine processes: WAL, fsync on every commit. */
export function openSqlite(path: string): Sql {
  const db = new Database(path);
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  // FULL: a commit the engine acted on survives a power cut, not just a process crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return wrap(db, path);
}

function wrap(db: Database.Database, path: string): Sql {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    path,
    get: <T>(sql: string, ...params: Param[]) => prepare(sql).get(...params) as T | undefined,
    all: <T>(sql: string, ...params: Param[]) => prepare(sql).all(...params) as T[],
    run: (sql, ...params) => prepare(sql).run(...params).changes,
    exec: (sql) => void db.exec(sql),
    write: (fn) => db.transaction(fn).immediate(),
    close: () => db.close(),
  };
}

/** Runs one journal operation, turning driver failures into a GantryError naming the file. */
export function attempt<T>(path: string, operation: string, fn: () => T): T {
  try {
    return fn();
  } catch (thrown) {
    throw asJournalError(thrown, path, operation);
  }
}

export function asJournalError(thrown: unknown, path: string, operation: string): Error {
  if (isGantryError(thrown)) return thrown;
  const error = toError(thrown);
  const code = (error as { code?: string }).code ?? '';
  return new GantryError(ErrorCode.journal, `SQLite journal ${operation} failed: ${error.message}`, {
    where: path,
    hint: hintFor(code, path),
    context: { sqliteCode: code || undefined },
    cause: error,
  });
}

function hintFor(code: string, path: string): string {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return `another process kept ${path} locked for over ${BUSY_TIMEOUT_MS / 1000}s; look for a stuck gantry process and retry`;
  }
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_PERM')
  ) {
    return `check that ${path} and its directory exist and are writable by this user (GANTRY_HOME)`;
  }
  if (code.startsWith('SQLITE_FULL')) return `the disk holding ${path} is full; free space and retry`;
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return `${path} is damaged or not a Gantry database; restore it from a backup`;
  }
  return `check ${path} and the disk it is on, then retry`;
}
