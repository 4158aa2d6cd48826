// rolling: replace the previous version's instances a batch at a time, traffic following the instance
// counts. By default each batch's new instances are healthy before old ones stop (never fewer than all
// healthy); a lower minHealthy lets old instances stop first when that keeps at least minHealthy.
// A data plane that rolls by itself (the command target: kubectl rollout) gets one in-place start instead.

import type { StepDraft } from '../expand.js';
import type { RollingStrategy } from '../schema/strategy.js';
import type { TargetTraits } from '../target-traits.js';
import type { StrategyExpansion } from './expand-strategy.js';
import { restoreTraffic, scaleVersion, startVersion, stopVersion, written } from './traffic-drafts.js';

export function expandRolling(rolling: RollingStrategy, traits: TargetTraits): StrategyExpansion {
  const { instances } = traits;
  if (traits.rolling === 'in-place') return inPlace(instances);
  const minHealthy = rolling.minHealthy ?? instances;
  const main: StepDraft[] = [];
  let fresh = 0;
  let old = instances;
  while (fresh < instances) {
    const batch = Math.min(rolling.batchSize, instances - fresh);
    const grow = scaleVersion('new', fresh + batch, instances);
    const shrink = scaleVersion('previous', old - batch, instances);
    const stopFirst = fresh + old - batch >= minHealthy;
    main.push(...(stopFirst ? [shrink, grow] : [grow, shrink]));
    fresh += batch;
    old -= batch;
    if (fresh < instances) main.push(...rolling.betweenBatches.map((spec) => written(spec)));
  }
  return {
    main,
    cleanup: [],
    rollback: [restoreTraffic(instances), stopVersion('rollback', 'new')],
  };
}

/** The data plane replaces the instances itself; rolling back is rolling the previous version out the same way. */
function inPlace(instances: number): StrategyExpansion {
  return {
    main: [
      {
        ...startVersion(instances),
        name: `roll out the new version in place with ${instances} instance${instances === 1 ? '' : 's'} (the target's start command)`,
      },
    ],
    cleanup: [],
    rollback: [restoreTraffic(instances)],
  };
}
