// The engine's own failure: this process no longer owns the deployment it was driving.

import { GantryError } from '../errors.js';

export class LeaseLostError extends GantryError {
  constructor(deploymentId: string) {
    super(
      'GANTRY_LEASE_LOST',
      `another engine took over deployment ${deploymentId}; this one stopped driving it`,
      {
        where: deploymentId,
        hint: 'nothing to do: the other engine continues the deployment',
      },
    );
  }
}

/** An operator supplied a new plan (`gantry resume --replan --plan FILE`): the run restarts with it. */
export class PlanReplacedError extends GantryError {
  constructor(deploymentId: string) {
    super(
      'GANTRY_PLAN_CHANGED',
      `the plan of ${deploymentId} was replaced; restarting its run with the new plan`,
      { where: deploymentId },
    );
  }
}

/** `gantry promote --full` arrived while a step it skips was running: the step stops and is skipped. */
export class FullyPromoted extends Error {
  constructor(readonly by: string) {
    super(`promoted to 100% by ${by}`);
  }
}
