// `setWeight`: sends a percentage of traffic to the new version and the rest to the previous one (all of it
// to the new version when there is no previous one). Idempotent: the same split set twice is one split.

import type { SetWeightStep } from '../plan/schema/steps.js';
import type { StepHandler } from './step.js';
import { changeTarget, describeShares, recordWeights, sharesFor } from './target-change.js';

export const setWeightHandler: StepHandler<SetWeightStep> = {
  kind: 'setWeight',
  idempotent: () => true,
  async run(context, spec) {
    const sharesPct = sharesFor(context, spec.setWeight);
    await changeTarget(context, `send ${describeShares(sharesPct)}`, (target) =>
      target.setTraffic(sharesPct),
    );
    await recordWeights(context, sharesPct);
    return { ok: true, result: { sharesPct } };
  },
};
