// A Postgres connection URL split the way the pg tools take it safely: the URL without its password goes in
// argv (which `ps` shows to every user), the password in PGPASSWORD; `where` (host:port/database) is what
// Gantry prints and journals.

import { GantryError } from '../../errors.js';

export interface PgConnection {
  /** The URL without a password, for `--dbname`. */
  url: string;
  /** Environment for the pg tools: PGPASSWORD when the URL has a password. */
  env: Record<string, string>;
  /** host:port/database, safe to print. */
  where: string;
  database: string;
  /** For in-process clients; never printed, never in argv. */
  password?: string;
}

export function pgConnection(url: string): PgConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw notAUrl();
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw notAUrl();
  const password = parsed.password
    ? decodeURIComponent(parsed.password)
    : (parsed.searchParams.get('password') ?? undefined);
  parsed.password = '';
  parsed.searchParams.delete('password');
  const database =
    decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username);
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  return {
    url: parsed.toString(),
    env: password ? { PGPASSWORD: password } : {},
    where: `${host}:${parsed.port || '5432'}/${database}`,
    database,
    ...(password ? { password } : {}),
  };
}

/** The same server and credentials, another database (a scratch database for a verifying restore). */
export function withDatabase(connection: PgConnection, database: string): PgConnection {
  const parsed = new URL(connection.url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return {
    ...connection,
    url: parsed.toString(),
    database,
    where: connection.where.replace(/\/[^/]*$/, `/${database}`),
  };
}

function notAUrl(): GantryError {
  return new GantryError('GANTRY_USAGE', 'a Postgres backup needs a postgres:// connection URL', {
    hint: 'write it as postgres://USER:PASSWORD@HOST:5432/DATABASE, usually through ${secrets.NAME}',
  });
}

/** The URL with its password, for an in-process client only (never argv, never printed). */
export function clientUrl(connection: PgConnection): string {
  if (!connection.password) return connection.url;
  const parsed = new URL(connection.url);
  parsed.password = encodeURIComponent(connection.password);
  return parsed.toString();
}
