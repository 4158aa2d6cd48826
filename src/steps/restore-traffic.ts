// `restoreTraffic`: the first rollback step. Brings the previous version back to its full instance count
// (starting it again if it was stopped), turns off the header route, and sends it all traffic.

import type { StepHandler } from './step.js';
import { changeTarget, previousOf, recordWeights } from './target-change.js';

export interface RestoreTrafficStep {
  restoreTraffic: { instances: number };
  name?: string;
}

export const restoreTrafficHandler: StepHandler<RestoreTrafficStep> = {
  kind: 'restoreTraffic',
  idempotent: () => true,
  async run(context, spec) {
    const { version } = context.deployment;
    const previous = previousOf(context);
    if (!previous && context.deployment.previousVersion === version) {
      // A redeploy of the version already serving: it keeps all the traffic.
      const sharesPct = { [version]: 100 };
      await changeTarget(context, `keep all traffic on ${version}`, async (target) => {
        await target.setHeaderRoute(null);
        await target.setTraffic(sharesPct);
      });
      await recordWeights(context, sharesPct);
      return { ok: true, result: { restored: version, sharesPct } };
    }
    if (!previous) {
      await changeTarget(context, 'stop routing by the canary header', (target) =>
        target.setHeaderRoute(null),
      );
      return { ok: true, result: { restored: null, reason: 'there is no previous version to go back to' } };
    }
    const sharesPct = { [previous]: 100, [version]: 0 };
    await changeTarget(context, `send all traffic back to ${previous}`, async (target) => {
      // Whatever it was started with: the previous version is what served before, as it is.
      await target.ensureVersion(previous, spec.restoreTraffic.instances, { asRunning: true });
      await target.setHeaderRoute(null);
      await target.setTraffic(sharesPct);
    });
    await recordWeights(context, sharesPct);
    return { ok: true, result: { restored: previous, sharesPct } };
  },
};
