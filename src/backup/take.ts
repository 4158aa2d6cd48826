// Taking one backup of a plan: where its file goes, the tool that writes it, the check the plan asks for,
// and the record the journal keeps (size, checksum, duration, where it is).

import { hostname } from 'node:os';
import type { Backup } from '../plan/schema/backup.js';
import { archiveFiles } from './files/archive.js';
import { pgConnection } from './postgres/connection.js';
import { dumpPostgres } from './postgres/dump.js';
import { type BackupRecord, backupIdOf, scratchPrefixOf } from './record.js';
import { backupFileNames, discard, keep, prepare } from './storage.js';

export interface TakeRequest {
  spec: Backup;
  /** Renders `${secrets.NAME}` and the plan variables in the spec's strings. */
  render: <T>(value: T) => T;
  /** The folder backups go under (see storage.ts). */
  root: string;
  owner: { service: string; environment: string; deploymentId: string };
  /** This attempt's number: each writes its own partial file. */
  attempt: number;
  /** Files backup paths are relative to it. */
  planDir: string;
  signal: AbortSignal;
  redact: (text: string) => string;
}

export type TakeOutcome = { ok: true; record: BackupRecord } | { ok: false; code: string; message: string };

export async function takeBackup(request: TakeRequest): Promise<TakeOutcome> {
  const { spec, owner } = request;
  const started = performance.now();
  const kind = 'postgres' in spec ? 'postgres' : 'files';
  const names = backupFileNames(request.root, { ...owner, name: spec.name, kind }, request.attempt);
  await prepare(names);
  const tool = { signal: request.signal, timeoutMs: spec.timeout, redact: request.redact };
  let source: string;
  let outcome: Awaited<ReturnType<typeof dumpPostgres>>;
  if ('postgres' in spec) {
    const connection = pgConnection(request.render(spec.postgres.url));
    source = connection.where;
    outcome = await dumpPostgres({
      ...tool,
      connection,
      file: names.partial,
      verify: spec.postgres.verify,
      scratchPrefix: scratchPrefixOf(owner.deploymentId),
    });
  } else {
    source = spec.files.paths.join(', ');
    outcome = await archiveFiles({
      ...tool,
      baseDir: request.planDir,
      paths: spec.files.paths,
      file: names.partial,
      verify: spec.files.verify,
    });
  }
  if (!outcome.ok) {
    await discard(names);
    return { ok: false, code: outcome.code, message: `backup ${spec.name} of ${source}: ${outcome.problem}` };
  }
  await keep(names);
  return {
    ok: true,
    record: {
      backupId: backupIdOf(owner.deploymentId, spec.name),
      name: spec.name,
      kind,
      source,
      location: names.final,
      host: hostname(),
      sizeBytes: outcome.written.bytes,
      sha256: outcome.written.sha256,
      durationMs: Math.round(performance.now() - started),
      verified: outcome.verified,
      ...(outcome.verification ? { verification: outcome.verification } : {}),
    },
  };
}
