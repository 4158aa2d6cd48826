// canary: start the new version with no traffic, then the plan's steps (weights, analysis, pauses, header
// routes), ending at 100% on the new version. The previous version stays until after the monitor stages.

import type { CanaryStrategy } from '../schema/strategy.js';
import type { StrategyExpansion } from './expand-strategy.js';
import {
  headerRoute,
  restoreTraffic,
  setWeight,
  startVersion,
  stopVersion,
  written,
} from './traffic-drafts.js';

export function expandCanary(canary: CanaryStrategy, instances: number): StrategyExpansion {
  const steps = canary.steps;
  const weights = steps.flatMap((spec) => ('setWeight' in spec ? [spec.setWeight] : []));
  const routes = steps.flatMap((spec) => ('headerRoute' in spec ? [spec.headerRoute] : []));
  return {
    main: [
      startVersion(instances),
      ...steps.map((spec) => written(spec)),
      ...(weights.at(-1) === 100 ? [] : [setWeight(100, 'send all traffic to the new version')]),
      ...(routes.at(-1) === true ? [headerRoute(false)] : []),
    ],
    cleanup: [stopVersion('cleanup', 'previous', { keepWarm: canary.keepPrevious })],
    rollback: [restoreTraffic(instances), stopVersion('rollback', 'new')],
  };
}
