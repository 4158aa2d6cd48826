// recreate: the procedure of a maintenance-window runbook. Maintenance page on, stop the previous version,
// run what must happen while nothing runs (migrations), start the new version, check it through the
// canary header, maintenance page off. Rolling back is the same procedure towards the previous version.
// Without header routing on the target, the checks run as written (validation refuses canary-header checks).

import type { StepDraft } from '../expand.js';
import type { RecreateStrategy } from '../schema/strategy.js';
import type { TargetTraits } from '../target-traits.js';
import type { StrategyExpansion } from './expand-strategy.js';
import {
  headerRoute,
  maintenance,
  restoreTraffic,
  setWeight,
  startVersion,
  stopVersion,
  written,
} from './traffic-drafts.js';

export function expandRecreate(recreate: RecreateStrategy, traits: TargetTraits): StrategyExpansion {
  const { instances } = traits;
  const page = recreate.maintenance;
  const checks: StepDraft[] = recreate.checks.map((spec) => written(spec));
  return {
    main: [
      ...(page ? [maintenance('strategy', true)] : []),
      stopVersion('strategy', 'previous', { force: true }),
      ...recreate.whileStopped.map((spec) => written(spec, { alwaysRuns: true })),
      startVersion(instances),
      setWeight(
        100,
        page ? 'give the new version all traffic (still behind the maintenance page)' : undefined,
      ),
      ...(page && checks.length > 0 && traits.headerRoute
        ? [headerRoute(true), ...checks, headerRoute(false)]
        : checks),
      ...(page ? [maintenance('strategy', false)] : []),
    ],
    cleanup: [],
    rollback: [
      ...(page ? [maintenance('rollback', true)] : []),
      stopVersion('rollback', 'new', { force: true }),
      restoreTraffic(instances),
      ...(page ? [maintenance('rollback', false)] : []),
    ],
  };
}
