import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type GantryError, isGantryError } from '../errors.js';
import { openJournal } from './open.js';

const homes: string[] = [];
function scratchHome(): string {
  const home = join(mkdtempSync(join(tmpdir(), 'gantry-open-')), 'state', 'nested');
  homes.push(home);
  return home;
}
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(join(home, '..', '..'), { recursive: true, force: true });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('openJournal', () => {
  it('opens a migrated SQLite file in the state directory when no database URL is set, creating the directory', async () => {
    const home = scratchHome();

    const journal = await openJournal({ home, databaseUrl: '' });

    expect(journal.backend).toBe('sqlite');
    expect(existsSync(join(home, 'gantry.db'))).toBe(true);
    expect(await journal.chainHead()).toEqual({ seq: 0, hash: '0'.repeat(64) });
    await journal.close();
  });

  it.each(['mysql://root@db/gantry', 'gantry.db'])(
    'refuses %s as a usage error that says what to use',
    async (databaseUrl) => {
      const failure = await openJournal({ home: scratchHome(), databaseUrl }).catch(
        (error: unknown) => error,
      );

      expect(isGantryError(failure, 'GANTRY_USAGE')).toBe(true);
      expect((failure as GantryError).hint).toMatch(/postgres:\/\/USER:PASSWORD@HOST:5432\/DATABASE/);
    },
  );

  it('reports an unreachable Postgres naming host and port, never the password', async () => {
    const port = await closedPort();

    const failure = await openJournal({
      home: scratchHome(),
      databaseUrl: `postgresql://gantry:s3cret@127.0.0.1:${port}/gantry`,
    }).catch((error: unknown) => error);

    expect(isGantryError(failure, 'GANTRY_JOURNAL')).toBe(true);
    const error = failure as GantryError;
    expect(error.message).toMatch(`cannot connect to the Postgres journal at 127.0.0.1:${port}/gantry`);
    expect(error.hint).toMatch(`check that Postgres is running and reachable at 127.0.0.1:${port}`);
    expect(JSON.stringify({ ...error.toJSON(), stack: error.stack })).not.toContain('s3cret');
  });
});
