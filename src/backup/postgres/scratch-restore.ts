// `verify: restore`: the backup is restored into a scratch database on the same server and the row count of
// every table compared with the counts of the snapshot it was dumped from. The scratch database is dropped
// afterwards; one a killed instance left behind is dropped by the next attempt.

import { randomBytes } from 'node:crypto';
import type { ToolOutcome } from '../tool-process.js';
import { runTool } from '../tool-process.js';
import { pgRestoreCommand } from './commands.js';
import { type PgConnection, withDatabase } from './connection.js';
import { connect, countDifferences, countRows, quoteIdent, type RowCounts } from './row-counts.js';

export interface ScratchRestore {
  connection: PgConnection;
  archive: string;
  sourceCounts: RowCounts;
  /** Scratch databases are named `<prefix>_<random>`; leftovers with this prefix are dropped first. */
  prefix: string;
  signal: AbortSignal;
  timeoutMs: number;
  redact: (text: string) => string;
}

export type ScratchOutcome =
  | { ok: true; verification: Record<string, unknown> }
  | Extract<ToolOutcome, { ok: false }>;

const MAX_TABLES_RECORDED = 100;

export async function verifyByRestore(request: ScratchRestore): Promise<ScratchOutcome> {
  const { connection } = request;
  const admin = await connect(connection);
  const name = `${request.prefix}_${randomBytes(4).toString('hex')}`;
  try {
    await dropLeftovers(admin, request.prefix);
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`);
    } catch (thrown) {
      return failed(
        `verify: restore needs a role that may CREATE DATABASE on ${connection.where.split('/')[0]}: ${(thrown as Error).message}`,
      );
    }
    const scratch = withDatabase(connection, name);
    const restored = await runTool({
      command: pgRestoreCommand(scratch, { clean: false }),
      stdinFrom: request.archive,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      redact: request.redact,
    });
    if (!restored.ok)
      return { ...restored, problem: `restoring into scratch database ${name}: ${restored.problem}` };
    const client = await connect(scratch);
    const counts = await countRows(client).finally(() => client.end());
    const differences = countDifferences(request.sourceCounts, counts);
    if (differences.length > 0) {
      return failed(
        `the backup restored into ${name} does not match the database: ${differences.slice(0, 5).join('; ')}${differences.length > 5 ? ` (and ${differences.length - 5} more)` : ''}`,
      );
    }
    const tables = Object.keys(counts);
    return {
      ok: true,
      verification: {
        tables: tables.length,
        rows: Object.values(counts).reduce((sum, n) => sum + n, 0),
        ...(tables.length <= MAX_TABLES_RECORDED ? { rowCounts: counts } : {}),
      },
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => {});
    await admin.end().catch(() => {});
  }
}

async function dropLeftovers(
  admin: { query: (text: string, values?: unknown[]) => Promise<{ rows: Array<{ datname: string }> }> },
  prefix: string,
): Promise<void> {
  const { rows } = await admin.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
    `${prefix}_`,
  ]);
  for (const row of rows)
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(row.datname)} WITH (FORCE)`);
}

function failed(problem: string): ScratchOutcome {
  return { ok: false, code: 'GANTRY_STEP_FAILED', problem };
}
