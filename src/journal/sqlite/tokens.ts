// API tokens: stored as a hash of their secret, with expiry and revocation (never deleted).

import { unknownUser } from '../errors.js';
import type { NewToken, StoredToken, TokenRecord } from '../journal.js';
import type { Sql } from './sql.js';

interface TokenRow {
  id: string;
  user_name: string;
  secret_hash: string;
  description: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

const COLUMNS = 'id, user_name, secret_hash, description, created_at, expires_at, revoked_at';

export function createToken(sql: Sql, token: NewToken): TokenRecord {
  return sql.write(() => {
    if (!sql.get('SELECT name FROM users WHERE name = ?', token.user)) throw unknownUser(token.user);
    const row = sql.get<TokenRow>(
      `INSERT INTO tokens (id, user_name, secret_hash, description, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      token.id,
      token.user,
      token.secretHash,
      token.description ?? '',
      new Date().toISOString(),
      token.expiresAt,
    );
    return toRecord(row as TokenRow);
  });
}

export function getToken(sql: Sql, id: string): StoredToken | undefined {
  const row = sql.get<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE id = ?`, id);
  return row && { ...toRecord(row), secretHash: row.secret_hash };
}

export function listTokens(sql: Sql, user?: string): TokenRecord[] {
  const rows =
    user === undefined
      ? sql.all<TokenRow>(`SELECT ${COLUMNS} FROM tokens ORDER BY created_at, id`)
      : sql.all<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE user_name = ? ORDER BY created_at, id`, user);
  return rows.map(toRecord);
}

export function revokeToken(sql: Sql, id: string): boolean {
  const changed = sql.write(() =>
    sql.run(
      'UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      new Date().toISOString(),
      id,
    ),
  );
  return changed > 0;
}

function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    user: row.user_name,
    description: row.description,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
