// Row counts per table, to compare a database with a restore of its backup, through the `pg` client.

import pg from 'pg';
import { clientUrl, type PgConnection } from './connection.js';

/** "schema.table" → rows. */
export type RowCounts = Record<string, number>;

/** The slice of a pg client this file uses. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string): Promise<{ rows: R[] }>;
}

const USER_TABLES = `SELECT n.nspname AS schema, c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  ORDER BY 1, 2`;

export async function userTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ schema: string; name: string }>(USER_TABLES);
  return rows.map((row) => `${row.schema}.${row.name}`);
}

export async function countRows(db: Queryable): Promise<RowCounts> {
  const counts: RowCounts = {};
  for (const table of await userTables(db)) {
    const [schema = '', name = ''] = splitTable(table);
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${quoteIdent(schema)}.${quoteIdent(name)}`,
    );
    counts[table] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** Each table whose count differs, or that only one side has, in words; empty when they agree. */
export function countDifferences(source: RowCounts, restored: RowCounts): string[] {
  const tables = [...new Set([...Object.keys(source), ...Object.keys(restored)])].sort();
  return tables.flatMap((table) => {
    const before = source[table];
    const after = restored[table];
    if (before === after) return [];
    if (after === undefined) return [`${table} is missing from the restore (${before} rows in the database)`];
    if (before === undefined) return [`${table} is in the restore but was not in the database`];
    return [`${table} has ${after} rows in the restore, ${before} in the database`];
  });
}

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function splitTable(table: string): [string, string] {
  const dot = table.indexOf('.');
  return [table.slice(0, dot), table.slice(dot + 1)];
}

export async function connect(connection: PgConnection): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: clientUrl(connection),
    application_name: 'gantry-backup',
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  return client;
}
