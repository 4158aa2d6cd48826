// `headerRoute`: requests carrying the canary header (X-Gantry-Canary: 1) go to the new version whatever
// the weights, so smoke tests and preview checks reach it before users do; `false` turns that off.

import { EVENT } from '../deployment/events.js';
import type { HeaderRouteStep } from '../plan/schema/steps.js';
import type { StepHandler } from './step.js';
import { changeTarget } from './target-change.js';

export const headerRouteHandler: StepHandler<HeaderRouteStep> = {
  kind: 'headerRoute',
  idempotent: () => true,
  async run(context, spec) {
    const version = spec.headerRoute ? context.deployment.version : null;
    const change = version
      ? `route requests with the canary header to ${version}`
      : 'stop routing by the canary header';
    const header = await changeTarget(context, change, async (target) => {
      await target.setHeaderRoute(version);
      return (await target.describe()).canaryHeader;
    });
    await context.record(EVENT.headerRouteSet, { version, header });
    return { ok: true, result: { version, header } };
  },
};
