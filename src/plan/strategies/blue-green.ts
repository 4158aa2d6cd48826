// blueGreen: start the new version beside the previous one, open it as a preview behind the canary header,
// run the checks against it, then switch all traffic at once. The previous version stays warm for
// `keepPrevious` (and through the monitor stages): switching back is instant. A data plane that cannot
// route by header (a command target without `headerRoute`) gets no preview steps.

import type { BlueGreenStrategy } from '../schema/strategy.js';
import type { TargetTraits } from '../target-traits.js';
import type { StrategyExpansion } from './expand-strategy.js';
import {
  headerRoute,
  restoreTraffic,
  setWeight,
  startVersion,
  stopVersion,
  written,
} from './traffic-drafts.js';

export function expandBlueGreen(blueGreen: BlueGreenStrategy, traits: TargetTraits): StrategyExpansion {
  const { instances } = traits;
  const preview = traits.headerRoute;
  return {
    main: [
      startVersion(instances),
      ...(preview
        ? [headerRoute(true, 'open the preview: requests with X-Gantry-Canary: 1 go to the new version')]
        : []),
      ...blueGreen.prePromotion.map((spec) => written(spec)),
      setWeight(100, 'switch all traffic to the new version'),
      ...(preview ? [headerRoute(false, 'close the preview')] : []),
    ],
    cleanup: [stopVersion('cleanup', 'previous', { keepWarm: blueGreen.keepPrevious })],
    rollback: [restoreTraffic(instances), stopVersion('rollback', 'new')],
  };
}
