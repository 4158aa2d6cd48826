// The admin API's bearer token: created once with mode 0600, refused if anyone else may read it.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GantryError } from '../errors.js';

/** Reads the token, creating it (0600) when missing. Refuses a token file others can read or write. */
export async function loadOrCreateToken(tokenPath: string): Promise<string> {
  await mkdir(dirname(tokenPath), { recursive: true });
  try {
    const handle = await open(tokenPath, 'wx', 0o600);
    const token = randomBytes(32).toString('hex');
    await handle.writeFile(`${token}\n`);
    await handle.close();
    return token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  await assertPrivate(tokenPath);
  return readToken(tokenPath);
}

export async function assertPrivate(tokenPath: string): Promise<void> {
  const mode = (await stat(tokenPath)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new GantryError(
      'GANTRY_NOT_ALLOWED',
      `the proxy token ${tokenPath} has mode ${mode.toString(8).padStart(4, '0')}: others may read it`,
      {
        where: tokenPath,
        hint: `run "chmod 600 ${tokenPath}" (or delete it to get a new token) and start the proxy again`,
      },
    );
  }
}

/** The token as a client reads it. */
export async function readToken(tokenPath: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(tokenPath, 'utf8');
  } catch (error) {
    throw new GantryError(
      'GANTRY_TARGET',
      `cannot read the proxy token ${tokenPath}: ${(error as Error).message}`,
      {
        where: tokenPath,
        hint: 'start the proxy once (gantry proxy) to create it, or check GANTRY_HOME',
        cause: error,
      },
    );
  }
  const token = text.trim();
  if (token.length < 32) {
    throw new GantryError(
      'GANTRY_NOT_ALLOWED',
      `the proxy token ${tokenPath} is too short to be one gantry-proxy wrote`,
      {
        where: tokenPath,
        hint: 'delete the file and restart the proxy to create a new token',
      },
    );
  }
  return token;
}

/** Compares `Authorization: Bearer …` with the token in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  if (header === undefined || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
