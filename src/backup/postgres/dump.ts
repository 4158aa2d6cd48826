// Taking a Postgres backup: pg_dump in custom format to a file (hashed on the way), then the check the plan
// asks for. With `verify: restore` the dump reads an exported snapshot, and the rows of every table are
// counted in that same snapshot, so the comparison is exact even while the application keeps writing.

import type { ToolOutcome, Written } from '../tool-process.js';
import { runTool } from '../tool-process.js';
import { pgDumpCommand, pgRestoreListCommand } from './commands.js';
import type { PgConnection } from './connection.js';
import { connect, countRows, type RowCounts } from './row-counts.js';
import { verifyByRestore } from './scratch-restore.js';
import { parseToc } from './toc.js';

export interface PostgresDump {
  connection: PgConnection;
  /** The file the archive is written to. */
  file: string;
  verify: boolean | 'restore';
  /** Prefix of scratch database names for `verify: restore`. */
  scratchPrefix: string;
  signal: AbortSignal;
  timeoutMs: number;
  redact: (text: string) => string;
}

export type DumpOutcome =
  | {
      ok: true;
      written: Written;
      verified: false | 'list' | 'restore';
      verification?: Record<string, unknown>;
    }
  | Extract<ToolOutcome, { ok: false }>;

export async function dumpPostgres(request: PostgresDump): Promise<DumpOutcome> {
  const deadline = Date.now() + request.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const tool = { signal: request.signal, redact: request.redact };
  const dumped =
    request.verify === 'restore'
      ? await dumpInSnapshot(request)
      : {
          outcome: await runTool({
            ...tool,
            command: pgDumpCommand(request.connection),
            stdoutTo: request.file,
            timeoutMs: remaining(),
          }),
        };
  const { outcome } = dumped;
  if (!outcome.ok) return outcome;
  const written = outcome.written as Written;
  if (request.verify === false) return { ok: true, written, verified: false };

  const listed = await runTool({
    ...tool,
    command: pgRestoreListCommand(request.file),
    timeoutMs: remaining(),
  });
  if (!listed.ok) return { ...listed, problem: `the archive does not read back: ${listed.problem}` };
  const contents = parseToc(listed.stdout);
  const listing = { entries: contents.entries, tables: contents.tables.length };
  if (request.verify === true) return { ok: true, written, verified: 'list', verification: listing };

  const checked = await verifyByRestore({
    ...tool,
    connection: request.connection,
    archive: request.file,
    sourceCounts: dumped.counts ?? {},
    prefix: request.scratchPrefix,
    timeoutMs: remaining(),
  });
  if (!checked.ok) return checked;
  return { ok: true, written, verified: 'restore', verification: { ...listing, ...checked.verification } };
}

/** pg_dump of an exported snapshot, with every table's rows counted in that snapshot meanwhile. */
async function dumpInSnapshot(request: PostgresDump): Promise<{ outcome: ToolOutcome; counts?: RowCounts }> {
  const source = await connect(request.connection);
  try {
    await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await source.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const dumping = runTool({
      command: pgDumpCommand(request.connection, { snapshot: rows[0]?.id }),
      stdoutTo: request.file,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      redact: request.redact,
    });
    const [outcome, counts] = await Promise.all([dumping, countRows(source)]);
    return { outcome, counts };
  } finally {
    await source.query('COMMIT').catch(() => {});
    await source.end().catch(() => {});
  }
}
