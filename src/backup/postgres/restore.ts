// Restoring a Postgres backup into its database: pg_restore --clean --if-exists in a single transaction (the
// database is either the backup again or untouched), then the tables the backup does not hold are named:
// --clean only drops what the archive creates, so tables made after the backup remain.

import type { ToolOutcome } from '../tool-process.js';
import { runTool } from '../tool-process.js';
import { pgRestoreCommand, pgRestoreListCommand } from './commands.js';
import type { PgConnection } from './connection.js';
import { connect, userTables } from './row-counts.js';
import { parseToc } from './toc.js';

export interface PostgresRestore {
  connection: PgConnection;
  archive: string;
  signal: AbortSignal;
  timeoutMs: number;
  redact: (text: string) => string;
}

export type RestoreOutcome = { ok: true; leftovers: string[] } | Extract<ToolOutcome, { ok: false }>;

export async function restorePostgres(request: PostgresRestore): Promise<RestoreOutcome> {
  const tool = { signal: request.signal, timeoutMs: request.timeoutMs, redact: request.redact };
  const listed = await runTool({ ...tool, command: pgRestoreListCommand(request.archive) });
  if (!listed.ok) return { ...listed, problem: `the archive does not read back: ${listed.problem}` };
  const restored = await runTool({
    ...tool,
    command: pgRestoreCommand(request.connection, { clean: true }),
    stdinFrom: request.archive,
  });
  if (!restored.ok)
    return {
      ...restored,
      problem: `${restored.problem} (nothing was changed: the restore runs in one transaction)`,
    };
  const inArchive = new Set(parseToc(listed.stdout).tables);
  const client = await connect(request.connection);
  const tables = await userTables(client).finally(() => client.end());
  return { ok: true, leftovers: tables.filter((table) => !inArchive.has(table)) };
}
