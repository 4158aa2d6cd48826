// `migrate`: runs a migration's up command like a `run` step (own process group, timeout, redacted output)
// and journals that it was applied. Its down command runs on rollback (see migrate-down.ts).

import { EVENT } from '../deployment/events.js';
import type { MigrateSpec, MigrateStep, RunStep } from '../plan/schema/steps.js';
import { runHandler } from './run.js';
import type { StepHandler } from './step.js';

export const migrateHandler: StepHandler<MigrateStep> = {
  kind: 'migrate',
  idempotent: (spec) => spec.migrate.idempotent,
  async run(context, spec) {
    const result = await runHandler.run(context, commandStep(spec.migrate, spec.migrate.up));
    if (result.ok) await context.record(EVENT.migrationApplied, { irreversible: spec.migrate.irreversible });
    return result;
  },
};

/** One of a migration's commands as the `run` step that executes it. */
export function commandStep(migration: MigrateSpec, command: string): RunStep {
  return {
    run: command,
    env: migration.env,
    cwd: migration.cwd,
    timeout: migration.timeout,
    idempotent: migration.idempotent,
    retries: 0,
    backoff: 1_000,
  };
}
