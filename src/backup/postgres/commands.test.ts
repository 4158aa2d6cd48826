import { describe, expect, it } from 'vitest';
import { pgDumpCommand, pgRestoreCommand, pgRestoreListCommand } from './commands.js';
import { pgConnection, withDatabase } from './connection.js';

const connection = pgConnection('postgres://app:s3cr%40t@db.internal:6432/shop?sslmode=require');

describe('pg tool commands', () => {
  it('dumps in custom format to stdout, the password in PGPASSWORD and never in argv', () => {
    expect(pgDumpCommand(connection)).toEqual({
      argv: [
        'pg_dump',
        '--format=custom',
        '--no-password',
        '--dbname=postgres://app@db.internal:6432/shop?sslmode=require',
      ],
      env: { PGPASSWORD: 's3cr@t' },
    });
  });

  it('dumps an exported snapshot when given one', () => {
    expect(pgDumpCommand(connection, { snapshot: '00000003-0000001B-1' }).argv).toEqual([
      'pg_dump',
      '--format=custom',
      '--no-password',
      '--snapshot=00000003-0000001B-1',
      '--dbname=postgres://app@db.internal:6432/shop?sslmode=require',
    ]);
  });

  it('restores from stdin in one transaction, cleaning first only when asked', () => {
    expect(pgRestoreCommand(connection, { clean: true })).toEqual({
      argv: [
        'pg_restore',
        '--clean',
        '--if-exists',
        '--single-transaction',
        '--exit-on-error',
        '--no-password',
        '--dbname=postgres://app@db.internal:6432/shop?sslmode=require',
      ],
      env: { PGPASSWORD: 's3cr@t' },
    });
    expect(pgRestoreCommand(withDatabase(connection, 'gantry_verify_x'), { clean: false }).argv).toEqual([
      'pg_restore',
      '--single-transaction',
      '--exit-on-error',
      '--no-password',
      '--dbname=postgres://app@db.internal:6432/gantry_verify_x?sslmode=require',
    ]);
  });

  it('lists an archive without touching a database', () => {
    expect(pgRestoreListCommand('/backups/shop.dump')).toEqual({
      argv: ['pg_restore', '--list', '/backups/shop.dump'],
      env: {},
    });
  });
});
