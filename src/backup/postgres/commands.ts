// The pg tool invocations, as data (argv and environment), so tests compare them exactly. The archive goes
// through stdin and stdout, not a path: when the Gantry process dies, its pipes close and the tool stops
// with it instead of running on orphaned.

import type { ToolCommand } from '../tool-process.js';
import type { PgConnection } from './connection.js';

/** pg_dump in custom format to stdout; `snapshot` dumps exactly what an exported snapshot sees. */
export function pgDumpCommand(connection: PgConnection, options: { snapshot?: string } = {}): ToolCommand {
  return {
    argv: [
      'pg_dump',
      '--format=custom',
      '--no-password',
      ...(options.snapshot ? [`--snapshot=${options.snapshot}`] : []),
      `--dbname=${connection.url}`,
    ],
    env: connection.env,
  };
}

/** pg_restore --list: reads the archive's table of contents back; touches no database. */
export function pgRestoreListCommand(archive: string): ToolCommand {
  return { argv: ['pg_restore', '--list', archive], env: {} };
}

/**
 * pg_restore of the archive on stdin, in one transaction: it applies whole or not at all, so a restore cut
 * off (timeout, the instance died) leaves the database as it was. `clean` drops the archive's objects first.
 */
export function pgRestoreCommand(connection: PgConnection, options: { clean: boolean }): ToolCommand {
  return {
    argv: [
      'pg_restore',
      ...(options.clean ? ['--clean', '--if-exists'] : []),
      '--single-transaction',
      '--exit-on-error',
      '--no-password',
      `--dbname=${connection.url}`,
    ],
    env: connection.env,
  };
}
