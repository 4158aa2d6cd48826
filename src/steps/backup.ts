// `backup`: takes a backup (pg_dump, or a tar.gz of files), checks it as the plan says, journals it with its
// size, checksum, duration and location, then applies retention to older backups of the same name.
// Idempotent: each attempt writes its own file, and a backup an attempt cut off by a crash had already
// recorded is kept rather than taken again.

import { resolve } from 'node:path';
import { backupOf } from '../backup/plan-backups.js';
import type { BackupRecord } from '../backup/record.js';
import { retentionOf } from '../backup/retention.js';
import { backupService } from '../backup/service.js';
import { fileSize } from '../backup/storage.js';
import { takeBackup } from '../backup/take.js';
import { EVENT } from '../deployment/events.js';
import { toError } from '../errors.js';
import type { Backup } from '../plan/schema/backup.js';
import type { BackupStep } from '../plan/schema/steps.js';
import { formatBytes } from '../units/bytes.js';
import { formatDuration } from '../units/duration.js';
import { failure, type StepContext, type StepHandler } from './step.js';

export const backupHandler: StepHandler<BackupStep | Backup> = {
  kind: 'backup',
  idempotent: () => true,
  async run(context, spec) {
    const item = backupOf(spec);
    const recorded = context.state().backups[item.name];
    if (
      recorded?.stepId === context.step.id &&
      !recorded.deleted &&
      (await fileSize(recorded.location)) === recorded.sizeBytes
    ) {
      context.log(`backup ${recorded.backupId} was recorded before the step was cut off; keeping it`);
      return { ok: true, result: summary(recorded) };
    }
    const { deployment } = context;
    const service =
      context.services.backups ?? backupService(undefined, resolve(process.env.GANTRY_HOME ?? '.gantry'));
    const outcome = await takeBackup({
      spec: item,
      render: context.render,
      root: service.root(context.plan.backups.dir, context.planDir),
      owner: {
        service: deployment.service,
        environment: deployment.environment,
        deploymentId: deployment.id,
      },
      attempt: context.attempt,
      planDir: context.planDir,
      signal: context.signal,
      redact: context.redact,
    });
    if (!outcome.ok) return failure(outcome.code, outcome.message);
    const { record } = outcome;
    await context.record(EVENT.backupTaken, { ...record });
    context.log(
      `backup ${record.backupId}: ${formatBytes(record.sizeBytes)} in ${formatDuration(record.durationMs)} at ${record.location}`,
    );
    await applyRetention(context, service.prune, item);
    return { ok: true, result: summary(record) };
  },
};

async function applyRetention(
  context: StepContext,
  prune: NonNullable<StepContext['services']['backups']>['prune'],
  item: Backup,
): Promise<void> {
  try {
    const deleted = await prune({
      service: context.deployment.service,
      environment: context.deployment.environment,
      name: item.name,
      policy: retentionOf(context.plan, item),
      actor: context.deployment.id,
    });
    if (deleted.length > 0) context.log(`retention deleted ${deleted.join(', ')}`);
  } catch (thrown) {
    // Retention is housekeeping: the backup itself is taken and recorded, so this never fails the step.
    context.log(`retention not applied this time: ${context.redact(toError(thrown).message)}`);
  }
}

function summary(record: BackupRecord): Record<string, unknown> {
  return {
    backupId: record.backupId,
    location: record.location,
    sizeBytes: record.sizeBytes,
    sha256: record.sha256,
    durationMs: record.durationMs,
    verified: record.verified,
  };
}
