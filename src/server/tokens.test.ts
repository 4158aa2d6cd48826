import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Journal } from '../journal/journal.js';
import { openJournal } from '../journal/open.js';
import { parseDuration } from '../units/duration.js';
import { checkToken, issueToken, parseExpiry } from './tokens.js';

let home: string;
let journal: Journal;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'gantry-tokens-'));
  journal = await openJournal({ home });
  await journal.putUser('dana', ['deployer']);
});

afterEach(async () => {
  await journal.close();
  rmSync(home, { recursive: true, force: true });
});

describe('tokens', () => {
  it('accepts the issued token and stores only a hash of its secret', async () => {
    const { token, record } = await issueToken(journal, { user: 'dana', expiresInMs: 60_000 });
    const check = await checkToken(journal, token);
    expect(check).toMatchObject({ ok: true, user: { name: 'dana' }, token: { id: record.id } });
    const stored = await journal.getToken(record.id);
    expect(stored?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain(stored?.secretHash);
    expect(JSON.stringify(stored)).not.toContain(token.split('.')[2]);
  });

  it('refuses a token with a wrong secret, a malformed one, an expired one and a revoked one', async () => {
    const { token, record } = await issueToken(journal, { user: 'dana', expiresInMs: 60_000 });
    const wrong = `${token.slice(0, -4)}AAAA`;
    expect(await checkToken(journal, wrong)).toEqual({ ok: false, reason: 'unknown' });
    expect(await checkToken(journal, 'hello')).toEqual({ ok: false, reason: 'malformed' });
    expect(await checkToken(journal, token, new Date(Date.now() + 61_000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    await journal.revokeToken(record.id);
    expect(await checkToken(journal, token)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('reads expiries such as 30d and never, and refuses nonsense', () => {
    expect(parseExpiry('30d', parseDuration)).toBe(30 * 86_400_000);
    expect(parseExpiry('never', parseDuration)).toBeUndefined();
    expect(() => parseExpiry('soon', parseDuration)).toThrow(/not a duration/);
  });
});
