// The slice of `pg` the journal uses: a pool, READ COMMITTED transactions retried on deadlock, and errors
// turned into GantryErrors that name host:port/database (never the password) and what to check.

import pg from 'pg';
import { ErrorCode, GantryError, isGantryError, toError } from '../../errors.js';

/** What the journal's SQL needs from a connection. */
export interface Sql {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Db {
  /** host:port/database, safe to print. */
  readonly where: string;
  transaction<T>(operation: string, fn: (sql: Sql) => Promise<T>): Promise<T>;
  query<T>(operation: string, text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Deadlocks and serialization failures are resolved by running the whole transaction again. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

export function connectPostgres(url: string): Db {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    application_name: 'gantry',
  });
  // An idle connection dropped by the server emits 'error' on the pool; without a listener Node would exit.
  // The next query gets a fresh connection or fails with a journal error of its own.
  pool.on('error', () => {});
  const where = describeUrl(url);
  const fail = (thrown: unknown, operation: string) => asJournalError(thrown, where, operation);
  return {
    where,
    async transaction(operation, fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inTransaction(pool, fn);
        } catch (thrown) {
          const code = (thrown as { code?: string }).code ?? '';
          if (!RETRYABLE.has(code) || attempt >= ATTEMPTS) throw fail(thrown, operation);
        }
      }
    },
    async query(operation, text, params) {
      try {
        return (await pool.query(text, params)).rows;
      } catch (thrown) {
        throw fail(thrown, operation);
      }
    },
    close: () => pool.end(),
  };
}

async function inTransaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const sql: Sql = { query: async (text, params) => (await client.query(text, params)).rows };
  try {
    await client.query('BEGIN');
    const result = await fn(sql);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (thrown) {
    // A connection that cannot even roll back is broken: destroy it rather than return it to the pool.
    const broken = await client.query('ROLLBACK').then(
      () => undefined,
      (error: unknown) => toError(error),
    );
    client.release(broken);
    throw thrown;
  }
}

/** `host:port/database` from a connection URL, without user or password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.searchParams.get('host') ?? (parsed.hostname || 'localhost');
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    return `${host}:${parsed.port || '5432'}/${database}`;
  } catch {
    return '(unparseable Postgres URL)';
  }
}

export function asJournalError(thrown: unknown, where: string, operation: string): Error {
  if (isGantryError(thrown)) return thrown;
  const error = toError(thrown);
  const code = (error as { code?: string }).code ?? '';
  const message =
    CONNECT_CODES.has(code) || /timeout|terminated/i.test(error.message)
      ? `cannot connect to the Postgres journal at ${where}: ${error.message || code}`
      : `Postgres journal ${operation} failed: ${error.message || code}`;
  return new GantryError(ErrorCode.journal, message, {
    where,
    hint: hintFor(code, where, error.message),
    context: { postgresCode: code || undefined },
    cause: error,
  });
}

/** Errors that mean no session was established: network, authentication, unknown database. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  '28P01',
  '28000',
  '3D000',
]);

function hintFor(code: string, where: string, message: string): string {
  const hostPort = where.split('/')[0];
  const unreachable = `check that Postgres is running and reachable at ${hostPort}, and the host and port in GANTRY_DATABASE_URL`;
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ECONNRESET':
      return unreachable;
    case '28P01':
    case '28000':
      return 'check the user and password in GANTRY_DATABASE_URL, and pg_hba.conf on the server';
    case '3D000':
      return `create the database, or fix its name in GANTRY_DATABASE_URL (${where})`;
    case '42501':
      return 'grant the Gantry user rights to create and write tables in this database';
    case '53300':
      return 'the server has no free connections: raise max_connections or stop idle clients';
    case '57014':
      return 'a statement ran past its timeout; look for sessions holding locks on the journal tables';
    default:
      // pg's own connect timeout carries no code, only a message.
      return /timeout|terminated/i.test(message)
        ? unreachable
        : `check the Postgres server at ${hostPort} and its log`;
  }
}
