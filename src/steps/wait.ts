// `wait`: a pause of fixed length whose deadline is counted from the step's first start, so restarts don't extend it.

import type { WaitStep } from '../plan/schema/steps.js';
import type { StepHandler } from './step.js';

export const waitHandler: StepHandler<WaitStep> = {
  kind: 'wait',
  idempotent: () => true,
  async run(context, spec) {
    const deadline = new Date(context.firstStartedAt.getTime() + spec.wait);
    await context.sleepUntil(deadline);
    return { ok: true, result: { until: deadline.toISOString() } };
  },
};
