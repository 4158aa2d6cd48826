// Restoring a recorded backup, for restore steps and `gantry restore` alike: the same refusals first (deleted,
// unverified, file missing on this machine, file changed since it was taken), then the restore by kind.

import { hostname } from 'node:os';
import { extractFiles } from './files/archive.js';
import type { PgConnection } from './postgres/connection.js';
import { restorePostgres } from './postgres/restore.js';
import type { BackupRecord } from './record.js';
import { fileDigest } from './storage.js';

export interface Refusal {
  ok: false;
  code: string;
  message: string;
  hint?: string;
}

/** Why this backup must not be restored, or undefined when it may (this reads the whole file once). */
export async function refusalOf(
  backup: BackupRecord & { deleted?: unknown },
  options: { allowUnverified: boolean },
): Promise<Refusal | undefined> {
  const id = backup.backupId;
  if (backup.deleted) {
    return refuse(
      `backup ${id} was deleted by retention; its file is gone`,
      'list the others with `gantry backups`',
    );
  }
  if (!backup.verified && !options.allowUnverified) {
    return refuse(
      `backup ${id} was never verified (its plan says verify: false), so Gantry does not restore it`,
      'restore it anyway with `allowUnverified: true` on the restore step, or `gantry restore --allow-unverified`',
    );
  }
  const digest = await fileDigest(backup.location);
  if (!digest) {
    return refuse(
      `the file of backup ${id} is not at ${backup.location} on ${hostname()}${backup.host !== hostname() ? ` (it was written on ${backup.host})` : ''}`,
      'with instances on several machines, set `backups.dir` to a folder every instance mounts',
    );
  }
  if (digest.sha256 !== backup.sha256 || digest.bytes !== backup.sizeBytes) {
    return refuse(
      `the file of backup ${id} changed since it was taken (SHA-256 ${digest.sha256.slice(0, 12)}…, ${digest.bytes} bytes; recorded ${backup.sha256.slice(0, 12)}…, ${backup.sizeBytes} bytes); it is not restored`,
      'find out who changed it; restore another backup (`gantry backups`)',
    );
  }
  return undefined;
}

export type RestoreTarget =
  | { kind: 'postgres'; connection: PgConnection }
  | { kind: 'files'; baseDir: string };

export interface RestoreRun {
  backup: BackupRecord;
  target: RestoreTarget;
  signal: AbortSignal;
  timeoutMs: number;
  redact: (text: string) => string;
}

export type Restored = { ok: true; into: string; durationMs: number; leftovers: string[] } | Refusal;

export async function restoreBackup(run: RestoreRun): Promise<Restored> {
  const started = performance.now();
  const tool = { signal: run.signal, timeoutMs: run.timeoutMs, redact: run.redact };
  const elapsed = () => Math.round(performance.now() - started);
  if (run.target.kind === 'postgres') {
    const { connection } = run.target;
    const outcome = await restorePostgres({ ...tool, connection, archive: run.backup.location });
    if (!outcome.ok)
      return {
        ok: false,
        code: outcome.code,
        message: `restoring ${run.backup.backupId} into ${connection.where}: ${outcome.problem}`,
      };
    return { ok: true, into: connection.where, durationMs: elapsed(), leftovers: outcome.leftovers };
  }
  const { baseDir } = run.target;
  const outcome = await extractFiles({ ...tool, baseDir, archive: run.backup.location });
  if (!outcome.ok)
    return {
      ok: false,
      code: outcome.code,
      message: `restoring ${run.backup.backupId} into ${baseDir}: ${outcome.problem}`,
    };
  return { ok: true, into: baseDir, durationMs: elapsed(), leftovers: [] };
}

function refuse(message: string, hint: string): Refusal {
  return { ok: false, code: 'GANTRY_INVALID_STATE', message, hint };
}
