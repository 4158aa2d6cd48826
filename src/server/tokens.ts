// API tokens: `gty.<id>.<secret>` with a 32-byte random secret. The journal keeps only the SHA-256 of
// the secret; a presented token is found by its id and its secret compared in constant time.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GantryError } from '../errors.js';
import type { Journal, TokenRecord, UserRecord } from '../journal/journal.js';

const PREFIX = 'gty';
const FORMAT = /^gty\.(t-[0-9a-f]{10})\.([A-Za-z0-9_-]{43})$/;

export interface IssuedToken {
  /** The whole token, shown once; only its hash is stored. */
  token: string;
  record: TokenRecord;
}

export interface IssueOptions {
  user: string;
  /** Lifetime; undefined for a token that never expires. */
  expiresInMs?: number;
  description?: string;
  now?: Date;
}

export async function issueToken(journal: Journal, options: IssueOptions): Promise<IssuedToken> {
  const id = `t-${randomBytes(5).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  const now = options.now ?? new Date();
  const record = await journal.createToken({
    id,
    user: options.user,
    secretHash: hashSecret(secret),
    description: options.description,
    expiresAt:
      options.expiresInMs === undefined ? null : new Date(now.getTime() + options.expiresInMs).toISOString(),
  });
  return { token: `${PREFIX}.${id}.${secret}`, record };
}

export type TokenCheck =
  | { ok: true; user: UserRecord; token: TokenRecord }
  | { ok: false; reason: 'malformed' | 'unknown' | 'expired' | 'revoked' };

/** Whether a presented token is valid now, and whose it is. */
export async function checkToken(journal: Journal, presented: string, now = new Date()): Promise<TokenCheck> {
  const match = FORMAT.exec(presented.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const stored = await journal.getToken(match[1] as string);
  // The comparison runs even for an unknown id, so timing does not tell which ids exist.
  const expected = Buffer.from(stored?.secretHash ?? '0'.repeat(64), 'hex');
  const same = timingSafeEqual(expected, Buffer.from(hashSecret(match[2] as string), 'hex'));
  if (!stored || !same) return { ok: false, reason: 'unknown' };
  if (stored.revokedAt) return { ok: false, reason: 'revoked' };
  if (stored.expiresAt && Date.parse(stored.expiresAt) <= now.getTime())
    return { ok: false, reason: 'expired' };
  const user = await journal.getUser(stored.user);
  if (!user) return { ok: false, reason: 'unknown' };
  const { secretHash: _hash, ...token } = stored;
  return { ok: true, user, token };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** "30d", "12h", "never" → milliseconds (undefined for never). */
export function parseExpiry(text: string, parse: (text: string) => number | undefined): number | undefined {
  if (text === 'never') return undefined;
  const ms = parse(text);
  if (ms === undefined || ms <= 0) {
    throw new GantryError('GANTRY_USAGE', `--expires "${text}" is not a duration`, {
      hint: 'use a duration such as 12h, 30d or 90d, or "never"',
    });
  }
  return ms;
}
