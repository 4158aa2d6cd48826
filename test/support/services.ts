// External services the integration tests use. A missing service skips its suite with a printed reason;
// in CI (GANTRY_REQUIRE_SERVICES=1) it fails the run instead, so a suite can never be skipped unnoticed.

import { randomBytes } from 'node:crypto';
import pg from 'pg';

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server the tests may create scratch databases on. */
export function postgresUrl(): string {
  return process.env.GANTRY_TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL;
}

/** A URL safe to print: the password replaced. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export interface ServiceCheck {
  available: boolean;
  reason?: string;
}

/**
 * Whether Postgres answers at `postgresUrl()`. Use with `describe.skipIf(!check.available)`; the reason is
 * printed when it does not, and under GANTRY_REQUIRE_SERVICES=1 this throws instead.
 */
export async function requirePostgres(): Promise<ServiceCheck> {
  const url = postgresUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true };
  } catch (error) {
    const reason = `Postgres is not reachable at ${redact(url)} (${(error as Error).message}); set GANTRY_TEST_POSTGRES_URL to run its tests`;
    if (process.env.GANTRY_REQUIRE_SERVICES === '1') {
      throw new Error(`GANTRY_REQUIRE_SERVICES=1 but ${reason}`);
    }
    console.warn(`skipping Postgres tests: ${reason}`);
    return { available: false, reason };
  } finally {
    await client.end().catch(() => {});
  }
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, uniquely named database on the test server, so parallel runs and test files never collide. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `gantry_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a test that failed half-way may leave connections open.
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
