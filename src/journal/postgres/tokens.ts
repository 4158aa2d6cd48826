// API tokens: stored as a hash of their secret, with expiry and revocation (never deleted).

import { unknownUser } from '../errors.js';
import type { NewToken, StoredToken, TokenRecord } from '../journal.js';
import type { Db, Sql } from './sql.js';

interface TokenRow {
  id: string;
  user_name: string;
  secret_hash: string;
  description: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, user_name, secret_hash, description, created_at, expires_at, revoked_at';

export function createToken(db: Db, token: NewToken): Promise<TokenRecord> {
  return db.transaction('create token', async (sql) => {
    const [user] = await sql.query('SELECT name FROM users WHERE name = $1 FOR SHARE', [token.user]);
    if (!user) throw unknownUser(token.user);
    const [row] = await sql.query<TokenRow>(
      `INSERT INTO tokens (id, user_name, secret_hash, description, created_at, expires_at)
       VALUES ($1, $2, $3, $4, now(), $5) RETURNING ${COLUMNS}`,
      [token.id, token.user, token.secretHash, token.description ?? '', token.expiresAt],
    );
    return toRecord(row as TokenRow);
  });
}

export async function getToken(sql: Sql, id: string): Promise<StoredToken | undefined> {
  const [row] = await sql.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens WHERE id = $1`, [id]);
  return row && { ...toRecord(row), secretHash: row.secret_hash };
}

export async function listTokens(sql: Sql, user?: string): Promise<TokenRecord[]> {
  const rows =
    user === undefined
      ? await sql.query<TokenRow>(`SELECT ${COLUMNS} FROM tokens ORDER BY created_at, id COLLATE "C"`)
      : await sql.query<TokenRow>(
          `SELECT ${COLUMNS} FROM tokens WHERE user_name = $1 ORDER BY created_at, id COLLATE "C"`,
          [user],
        );
  return rows.map(toRecord);
}

export async function revokeToken(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql.query(
    'UPDATE tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [id],
  );
  return rows.length > 0;
}

function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    user: row.user_name,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
