// `migrateDown`: the rollback's half of a migration (one per `migrate` step, added by the expansion). It runs
// the down command only when the up took effect; for an irreversible migration it lets the rollback pass
// only when a verified backup taken before it is restored, and otherwise stops the deployment as
// `interrupted` with the operator's options, rather than pretend the data came back.

import { EVENT } from '../deployment/events.js';
import { expandPlan } from '../plan/expand.js';
import type { MigrateDownSpec } from '../plan/migration-undo.js';
import { commandStep } from './migrate.js';
import { runHandler } from './run.js';
import { needsOperator, type StepHandler } from './step.js';
import { decideUndo } from './undo-decision.js';

export const migrateDownHandler: StepHandler<MigrateDownSpec> = {
  kind: 'migrateDown',
  idempotent: (spec) => spec.migrate.irreversible || spec.migrate.idempotent,
  async run(context, spec) {
    const expanded = expandPlan(context.plan);
    const decision = decideUndo({
      state: context.state(),
      spec,
      migration: expanded.main.find((step) => step.id === spec.migration),
      laterRollback: expanded.rollback.slice(context.step.index + 1),
      firstStartedAtEvent: context.firstStartedAtEvent,
    });
    switch (decision.kind) {
      case 'nothing':
      case 'covered':
        context.log(`${context.step.id}: ${decision.reason}`);
        return { ok: true, result: { ranDown: false, reason: decision.reason } };
      case 'ask':
        return needsOperator(decision.reason);
      case 'run-down': {
        const result = await runHandler.run(context, commandStep(spec.migrate, spec.migrate.down ?? 'true'));
        if (result.ok) await context.record(EVENT.migrationReverted, { migration: spec.migration });
        return result;
      }
    }
  },
};
