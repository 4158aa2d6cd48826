// Users and their roles; the server adds tokens elsewhere.

import type { UserRecord } from '../journal.js';
import { toUser, type UserRow } from './rows.js';
import type { Sql } from './sql.js';

/** Creates the user or replaces its roles; the creation time stays. */
export function putUser(sql: Sql, name: string, roles: readonly string[]): UserRecord {
  const row = sql.write(() =>
    sql.get<UserRow>(
      `INSERT INTO users (name, roles, created_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET roles = excluded.roles RETURNING name, roles, created_at`,
      name,
      JSON.stringify([...new Set(roles)]),
      new Date().toISOString(),
    ),
  );
  return toUser(row as UserRow);
}

export function getUser(sql: Sql, name: string): UserRecord | undefined {
  const row = sql.get<UserRow>('SELECT name, roles, created_at FROM users WHERE name = ?', name);
  return row && toUser(row);
}

export function listUsers(sql: Sql): UserRecord[] {
  return sql.all<UserRow>('SELECT name, roles, created_at FROM users ORDER BY name').map(toUser);
}
