// Strategies (canary, blueGreen, rolling, recreate) expand to primitive steps for a target: the main steps,
// cleanup after the monitor stages, and the rollback steps that put traffic back first.

import { GantryError } from '../../errors.js';
import type { StepDraft } from '../expand.js';
import type { Plan } from '../schema/plan.js';
import { targetTraits } from '../target-traits.js';
import { expandBlueGreen } from './blue-green.js';
import { expandCanary } from './canary.js';
import { expandRecreate } from './recreate.js';
import { expandRolling } from './rolling.js';

export interface StrategyExpansion {
  main: StepDraft[];
  /** Steps after the `after` hooks and the monitor stages: stopping the previous version. */
  cleanup: StepDraft[];
  /** Steps that put traffic back on the previous version, run first on rollback. */
  rollback: StepDraft[];
}

export function expandStrategy(plan: Plan): StrategyExpansion {
  const strategy = plan.strategy;
  if (!strategy || !plan.target) {
    throw new GantryError('GANTRY_PLAN_INVALID', 'a strategy needs a target to shift traffic on', {
      hint: 'add `target: { local: { run: …, listen: … } }`, or write the plan as a runbook (steps: [...])',
    });
  }
  const traits = targetTraits(plan.target);
  if ('canary' in strategy) return expandCanary(strategy.canary, traits.instances);
  if ('blueGreen' in strategy) return expandBlueGreen(strategy.blueGreen, traits);
  if ('rolling' in strategy) return expandRolling(strategy.rolling, traits);
  return expandRecreate(strategy.recreate, traits);
}
