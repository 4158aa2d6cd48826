// An application database for backup and restore tests: a small shop (tables, a sequence, a foreign key,
// an index) loaded into a scratch database, and its plain pg_dump text to compare before and after.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const SHOP_SCHEMA = `
CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers (id),
  amount_cents int NOT NULL,
  status text NOT NULL,
  note text
);
CREATE INDEX orders_by_status ON orders (status);
CREATE TABLE legacy_coupons (code text PRIMARY KEY, percent int NOT NULL);
INSERT INTO customers (email, created_at)
  SELECT 'customer' || i || '@example.com', timestamptz '2026-01-01' + i * interval '1 hour' FROM generate_series(1, 500) i;
INSERT INTO orders (customer_id, amount_cents, status, note)
  SELECT 1 + i % 500, (i * 37) % 10000, (ARRAY['new', 'paid', 'shipped'])[1 + i % 3], md5(i::text)
  FROM generate_series(1, 5000) i;
INSERT INTO legacy_coupons SELECT 'C' || i, 5 + i % 20 FROM generate_series(1, 200) i;
`;

export async function sql(url: string, text: string): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

let restrictKey: string[] | undefined;

/**
 * The database as plain SQL text. pg_dump releases since August 2025 write a random \\restrict key into
 * each dump; a fixed one keeps two dumps of the same data equal.
 */
export async function dumpText(url: string): Promise<string> {
  restrictKey ??= (await run('pg_dump', ['--help'])).stdout.includes('--restrict-key')
    ? ['--restrict-key=gantrytest']
    : [];
  const { stdout } = await run('pg_dump', ['--no-password', ...restrictKey, `--dbname=${url}`], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}
