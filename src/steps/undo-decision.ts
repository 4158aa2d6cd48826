// Whether a rollback may pass a migration, decided from the journal alone: run its down command, nothing to
// undo, a verified backup taken before it covers it, or ask an operator. Never pretend to roll back.

import { commandsSince, type DeploymentState, type StepProgress } from '../deployment/state.js';
import type { MigrateDownSpec } from '../plan/migration-undo.js';
import type { PlannedStep } from '../plan/planned-step.js';
import type { RestoreStep } from '../plan/schema/steps.js';

export type UndoDecision =
  | { kind: 'nothing'; reason: string }
  | { kind: 'run-down' }
  | { kind: 'covered'; reason: string }
  | { kind: 'ask'; reason: string };

export interface UndoInput {
  state: DeploymentState;
  spec: MigrateDownSpec;
  /** The migration's step on the main track, for its name. */
  migration: PlannedStep | undefined;
  /** Rollback steps after this one: a restore among them may cover an irreversible migration. */
  laterRollback: readonly PlannedStep[];
  /** Event index of this undo step's first start: an operator's retry after it means "go ahead". */
  firstStartedAtEvent: number;
}

type Effect = 'applied' | 'not-applied' | 'unknown';

export function decideUndo(input: UndoInput): UndoDecision {
  const { state, spec } = input;
  const progress = state.steps[spec.migration];
  if (!progress) return { kind: 'nothing', reason: `${spec.migration} never ran` };
  const effect = effectOf(progress);
  if (effect === 'not-applied') {
    return {
      kind: 'nothing',
      reason: `${spec.migration}'s up command failed (${progress.error?.message ?? 'non-zero exit'}); a failed migration is expected to have changed nothing, so its down command is not run`,
    };
  }
  const retried = commandsSince(state, input.firstStartedAtEvent).some(
    (command) => command.command === 'retry',
  );
  if (!spec.migrate.irreversible) {
    if (effect === 'applied' || retried) return { kind: 'run-down' };
    const id = state.id;
    return {
      kind: 'ask',
      reason: `whether ${spec.migration} (${name(input)}) took effect is unknown: its up command was cut off. Check the database, then \`gantry resume ${id} --retry\` to run its down command, or \`gantry resume ${id} --skip\` to leave the database as it is and go on with the rollback`,
    };
  }
  return irreversible(input, progress);
}

function effectOf(progress: StepProgress): Effect {
  if (progress.outcome === 'succeeded' || progress.outcome === 'skipped') return 'applied';
  if (progress.outcome === 'failed') {
    const code = progress.error?.code;
    return code === 'GANTRY_ABORTED' || code === 'GANTRY_TIMEOUT' ? 'unknown' : 'not-applied';
  }
  return 'unknown';
}

function irreversible(input: UndoInput, progress: StepProgress): UndoDecision {
  const { state, spec } = input;
  const before = Object.values(state.backups).filter(
    (backup) => backup.verified && !backup.deleted && backup.eventIndex < progress.firstStartedAtEvent,
  );
  const restoring = input.laterRollback.find(
    (step) =>
      step.kind === 'restore' && before.some((b) => b.name === (step.spec as RestoreStep).restore.backup),
  );
  if (restoring) {
    const backup = (restoring.spec as RestoreStep).restore.backup;
    return {
      kind: 'covered',
      reason: `${restoring.id} restores backup ${backup}, verified and taken before ${spec.migration}`,
    };
  }
  const restored = state.restores.find(
    (restore) =>
      restore.eventIndex > progress.firstStartedAtEvent &&
      before.some((b) => b.backupId === restore.backupId),
  );
  if (restored) {
    return {
      kind: 'covered',
      reason: `backup ${restored.backupId} was restored by ${restored.by} after ${spec.migration} ran`,
    };
  }
  const id = state.id;
  const [backup] = before;
  if (backup) {
    return {
      kind: 'ask',
      reason: `${spec.migration} (${name(input)}) is irreversible and no rollback step restores the backup taken before it. Backup ${backup.backupId} is verified and older than the migration: restore it with \`gantry restore ${backup.backupId}\`, then \`gantry resume ${id} --retry\` to go on with the rollback; or \`gantry resume ${id} --skip\` to finish the rollback leaving the data as the migration left it`,
    };
  }
  return {
    kind: 'ask',
    reason: `${spec.migration} (${name(input)}) is irreversible and no verified backup was taken before it, so this rollback cannot bring its data back and will not pretend to. Either restore the database yourself (\`gantry backups --service ${state.service}\` lists earlier backups, \`gantry restore BACKUP_ID\` restores one) or accept the data as the migration left it, then \`gantry resume ${id} --skip\` to finish the rollback. To roll back past it next time, take a verified backup before it and restore it in rollback.steps`,
  };
}

function name(input: UndoInput): string {
  return input.migration?.name ?? 'migration';
}
