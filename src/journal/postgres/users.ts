// Users and their roles; the server adds tokens elsewhere.

import type { UserRecord } from '../journal.js';
import { toUser, type UserRow } from './rows.js';
import type { Sql } from './sql.js';

/** Creates the user or replaces its roles; the creation time stays. */
export async function putUser(sql: Sql, name: string, roles: readonly string[]): Promise<UserRecord> {
  const [row] = await sql.query<UserRow>(
    `INSERT INTO users (name, roles, created_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET roles = excluded.roles RETURNING name, roles, created_at`,
    [name, JSON.stringify([...new Set(roles)])],
  );
  return toUser(row as UserRow);
}

export async function getUser(sql: Sql, name: string): Promise<UserRecord | undefined> {
  const [row] = await sql.query<UserRow>('SELECT name, roles, created_at FROM users WHERE name = $1', [name]);
  return row && toUser(row);
}

export async function listUsers(sql: Sql): Promise<UserRecord[]> {
  // COLLATE "C": the same byte order as SQLite, whatever the database's locale.
  const rows = await sql.query<UserRow>(
    'SELECT name, roles, created_at FROM users ORDER BY name COLLATE "C"',
  );
  return rows.map(toUser);
}
