// Files backups: a tar.gz of paths under the plan's folder, read back with tar --list, extracted in place.

import type { ToolOutcome, Written } from '../tool-process.js';
import { runTool } from '../tool-process.js';
import { tarCreateCommand, tarExtractCommand, tarListCommand } from './commands.js';

interface ToolOptions {
  signal: AbortSignal;
  timeoutMs: number;
  redact: (text: string) => string;
}

export type ArchiveOutcome =
  | { ok: true; written: Written; verified: false | 'list'; verification?: Record<string, unknown> }
  | Extract<ToolOutcome, { ok: false }>;

export async function archiveFiles(
  request: ToolOptions & { baseDir: string; paths: readonly string[]; file: string; verify: boolean },
): Promise<ArchiveOutcome> {
  const deadline = Date.now() + request.timeoutMs;
  const created = await runTool({
    ...request,
    command: tarCreateCommand(request.baseDir, request.paths),
    stdoutTo: request.file,
  });
  if (!created.ok) return created;
  const written = created.written as Written;
  if (!request.verify) return { ok: true, written, verified: false };
  const listed = await runTool({
    ...request,
    command: tarListCommand(request.file),
    timeoutMs: Math.max(1, deadline - Date.now()),
  });
  if (!listed.ok) return { ...listed, problem: `the archive does not read back: ${listed.problem}` };
  const entries = listed.stdout.split('\n').filter((line) => line !== '').length;
  return { ok: true, written, verified: 'list', verification: { entries } };
}

export async function extractFiles(
  request: ToolOptions & { baseDir: string; archive: string },
): Promise<{ ok: true } | Extract<ToolOutcome, { ok: false }>> {
  const extracted = await runTool({
    ...request,
    command: tarExtractCommand(request.baseDir),
    stdinFrom: request.archive,
  });
  return extracted.ok ? { ok: true } : extracted;
}
