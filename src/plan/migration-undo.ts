// On rollback, each migration that ran is undone before the plan's rollback steps (which may restore a
// backup), newest first: one conditional `migrateDown` step per `migrate` step of the main track.

import type { StepDraft } from './expand.js';
import type { PlannedStep } from './planned-step.js';
import type { MigrateSpec } from './schema/steps.js';

/** What a `migrateDown` step carries: the migration's step id and its spec. */
export interface MigrateDownSpec {
  migration: string;
  migrate: MigrateSpec;
}

export function migrationUndoDrafts(main: readonly PlannedStep[]): StepDraft[] {
  return main
    .filter((step) => step.kind === 'migrate')
    .reverse()
    .map((step) => {
      const spec: MigrateDownSpec = {
        migration: step.id,
        migrate: (step.spec as { migrate: MigrateSpec }).migrate,
      };
      return { section: 'rollback', kind: 'migrateDown', spec, name: `undo ${step.id} (${step.name})` };
    });
}
