// `checklist`: waits until every item has been checked by a named user (`gantry check ID ITEM`).

import type { StepHandler } from './step.js';

interface ChecklistSpec {
  checklist: string[];
}

export const checklistHandler: StepHandler<ChecklistSpec> = {
  kind: 'checklist',
  idempotent: () => true,
  async run(context, spec) {
    const stepId = context.step.id;
    const total = spec.checklist.length;
    const checkedBy = await context.waitFor(
      {
        waitingFor: `checklist (${total} item${total === 1 ? '' : 's'}) — \`gantry check ${context.deployment.id} N\``,
      },
      (state) => {
        const checks = state.checks.filter((check) => check.stepId === stepId);
        const done = spec.checklist.map((_, index) => checks.find((check) => check.itemIndex === index));
        return done.every(Boolean)
          ? done.map((check) => ({ item: check?.item, by: check?.by, at: check?.at }))
          : undefined;
      },
    );
    return { ok: true, result: { checked: checkedBy } };
  },
};
