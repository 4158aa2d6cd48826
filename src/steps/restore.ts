// `restore`: puts back a backup this deployment took (runbook 003's database rollback). It refuses a backup
// that is missing, deleted, unverified or changed since it was taken; stops the traffic first when the plan
// says so; restores (Postgres in one transaction: all or nothing) and journals it. Idempotent: restoring the
// same backup again gives the same data, so a new engine simply runs it again after a crash.

import { plannedBackup } from '../backup/plan-backups.js';
import { pgConnection } from '../backup/postgres/connection.js';
import { type RestoreTarget, refusalOf, restoreBackup } from '../backup/restore.js';
import { EVENT } from '../deployment/events.js';
import { expandPlan } from '../plan/expand.js';
import type { Backup } from '../plan/schema/backup.js';
import type { RestoreStep } from '../plan/schema/steps.js';
import { formatDuration } from '../units/duration.js';
import { failure, type StepContext, type StepHandler, type StepResult } from './step.js';
import { stopTrafficFor } from './traffic-stop.js';

export const restoreHandler: StepHandler<RestoreStep> = {
  kind: 'restore',
  idempotent: () => true,
  async run(context, spec) {
    const { backup: name, stopTraffic, allowUnverified, timeout } = spec.restore;
    const planned = plannedBackup(expandPlan(context.plan).main, name);
    const taken = context.state().backups[name];
    if (!planned) return failure('GANTRY_INVALID_STATE', `the plan takes no backup named "${name}"`);
    if (!taken) return notTaken(context, name, planned.step.id, planned.step.index);
    const refusal = await refusalOf(taken, { allowUnverified });
    if (refusal) return failure(refusal.code, `${refusal.message}; ${refusal.hint ?? ''}`.replace(/; $/, ''));
    const traffic = stopTraffic ? await stopTrafficFor(context, taken.backupId) : undefined;
    const restored = await restoreBackup({
      backup: taken,
      target: restoreTarget(context, planned.spec),
      signal: context.signal,
      timeoutMs: timeout,
      redact: context.redact,
    });
    if (!restored.ok) {
      const still = traffic ? '; the maintenance page stays on until someone checks the data' : '';
      return failure(restored.code, `${restored.message}${still}`);
    }
    await context.record(EVENT.backupRestored, {
      backupId: taken.backupId,
      name,
      into: restored.into,
      durationMs: restored.durationMs,
      ...(restored.leftovers.length > 0 ? { leftovers: restored.leftovers } : {}),
    });
    context.log(`restored ${taken.backupId} into ${restored.into} in ${formatDuration(restored.durationMs)}`);
    if (restored.leftovers.length > 0)
      context.log(
        `tables created after the backup remain (a restore only replaces what the backup holds): ${restored.leftovers.join(', ')}`,
      );
    await traffic?.resume();
    return {
      ok: true,
      result: {
        backupId: taken.backupId,
        into: restored.into,
        durationMs: restored.durationMs,
        leftovers: restored.leftovers,
      },
    };
  },
};

function restoreTarget(context: StepContext, spec: Backup): RestoreTarget {
  if ('postgres' in spec)
    return { kind: 'postgres', connection: pgConnection(context.render(spec.postgres.url)) };
  return { kind: 'files', baseDir: context.planDir };
}

/** The backup was never recorded: harmless when nothing after its step ran, refused otherwise. */
function notTaken(context: StepContext, name: string, stepId: string, index: number): StepResult {
  const state = context.state();
  const progress = state.steps[stepId];
  const why = !progress
    ? `${stepId} never ran`
    : progress.outcome === 'failed'
      ? `${stepId} failed: ${progress.error?.message ?? 'see its log'}`
      : `${stepId} did not finish`;
  const changedSince = Object.values(state.steps).some((step) => step.track === 'main' && step.index > index);
  if (!changedSince) {
    return {
      ok: true,
      result: { restored: false, reason: `backup ${name} was not taken (${why}) and nothing after it ran` },
    };
  }
  return failure(
    'GANTRY_INVALID_STATE',
    `backup ${name} was not taken in this deployment (${why}), so nothing is restored; \`gantry backups --service ${context.deployment.service}\` lists earlier backups, and \`gantry restore BACKUP_ID\` restores one by hand`,
  );
}
