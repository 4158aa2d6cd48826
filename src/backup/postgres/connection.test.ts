import { describe, expect, it } from 'vitest';
import { isGantryError } from '../../errors.js';
import { clientUrl, pgConnection, withDatabase } from './connection.js';

describe('Postgres connections for the pg tools', () => {
  it('takes the password out of the URL and names the database as host:port/database', () => {
    const connection = pgConnection('postgresql://app:p%2Fss@10.0.0.5/orders');
    expect(connection).toEqual({
      url: 'postgresql://app@10.0.0.5/orders',
      env: { PGPASSWORD: 'p/ss' },
      where: '10.0.0.5:5432/orders',
      database: 'orders',
      password: 'p/ss',
    });
    expect(clientUrl(connection)).toBe('postgresql://app:p%2Fss@10.0.0.5/orders');
  });

  it('also moves a password given as a query parameter', () => {
    const connection = pgConnection('postgres://app@db:5433/shop?password=hunter22&sslmode=verify-full');
    expect(connection.url).toBe('postgres://app@db:5433/shop?sslmode=verify-full');
    expect(connection.env).toEqual({ PGPASSWORD: 'hunter22' });
  });

  it('needs no environment without a password, and switches databases on the same server', () => {
    const connection = pgConnection('postgres://postgres@127.0.0.1:5432/app');
    expect(connection.env).toEqual({});
    expect(withDatabase(connection, 'scratch')).toMatchObject({
      url: 'postgres://postgres@127.0.0.1:5432/scratch',
      where: '127.0.0.1:5432/scratch',
      database: 'scratch',
    });
  });

  it('refuses what is not a postgres:// URL, without echoing it', () => {
    for (const url of ['host=db password=x', 'mysql://root:x@db/app']) {
      try {
        pgConnection(url);
        expect.fail('expected a refusal');
      } catch (thrown) {
        expect(isGantryError(thrown, 'GANTRY_USAGE')).toBe(true);
        expect((thrown as Error).message).not.toContain('x@');
      }
    }
  });
});
