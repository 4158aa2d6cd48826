// Rolling a service back: abort the deployment in progress (its rollback runs), or, when none is in
// progress, create a deployment of the previous version with the plan it last succeeded with.
// Shared by `gantry rollback` and the server; starting an engine is the caller's business.

import { GantryError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { createDeployment } from './create.js';
import { giveCommand } from './operator.js';

export interface RollbackRequest {
  environment: string;
  to?: string;
  reason?: string;
  user: string;
}

export interface RollbackOutcome {
  id: string;
  /** True when a deployment in progress was aborted; false when the previous version is being redeployed. */
  aborted: boolean;
}

export async function requestRollback(
  journal: Journal,
  service: string,
  request: RollbackRequest,
): Promise<RollbackOutcome> {
  const holder = await journal.lockHolder(service, request.environment);
  if (holder) {
    await giveCommand(journal, holder.id, 'abort', {
      user: request.user,
      reason: request.reason ?? 'rollback requested',
    });
    return { id: holder.id, aborted: true };
  }
  return { id: await redeployPrevious(journal, service, request), aborted: false };
}

async function redeployPrevious(
  journal: Journal,
  service: string,
  request: RollbackRequest,
): Promise<string> {
  const { environment } = request;
  const done = await journal.listDeployments({ service, environment, statuses: ['succeeded'], limit: 50 });
  const current = done[0];
  if (!current)
    throw new GantryError(
      'GANTRY_INVALID_STATE',
      `${service} has no successful deployment in ${environment} to roll back from`,
    );
  const target = request.to
    ? done.find((d) => d.version === request.to)
    : done.find((d) => d.version !== current.version);
  if (!target) {
    throw new GantryError(
      'GANTRY_INVALID_STATE',
      request.to
        ? `${service} never succeeded with version ${request.to} in ${environment}`
        : `no earlier version of ${service} succeeded in ${environment}`,
      {
        hint: '`gantry history --service NAME` lists what was deployed',
      },
    );
  }
  // The previous version is deployed with the plan it last succeeded with.
  const { deployment } = await createDeployment(journal, {
    planPath: target.plan.path,
    snapshot: target.plan,
    version: target.version,
    requestedBy: request.user,
    previousVersion: current.version,
  });
  return deployment.id;
}
