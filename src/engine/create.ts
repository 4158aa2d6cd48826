// Creating a deployment: validate the plan, check its secrets resolve, expand it, and record it with the
// service/environment lock taken in the same transaction (or refused, naming the deployment holding it).

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EVENT } from '../deployment/events.js';
import { GantryError } from '../errors.js';
import type { DeploymentRecord, Journal, PlanSnapshot } from '../journal/journal.js';
import { expandPlan } from '../plan/expand.js';
import type { ExpandedPlan } from '../plan/planned-step.js';
import { resolveSecrets } from '../secrets/resolve.js';
import { planFromSnapshot } from './runtime.js';

export interface CreateOptions {
  planPath: string;
  /** Use this plan text (e.g. a past deployment's snapshot) instead of reading planPath. */
  snapshot?: PlanSnapshot;
  version: string;
  requestedBy: string;
  queue?: boolean;
  previousVersion?: string;
  overrideWindow?: { reason: string };
  env?: NodeJS.ProcessEnv;
}

export interface Created {
  deployment: DeploymentRecord;
  expanded: ExpandedPlan;
}

export async function createDeployment(journal: Journal, options: CreateOptions): Promise<Created> {
  const path = options.snapshot?.path ?? resolve(options.planPath);
  const snapshot = options.snapshot ?? { path, source: readPlanFile(path) };
  const plan = planFromSnapshot(snapshot);
  resolveSecrets(plan.secrets, options.env ?? process.env, dirname(path));
  const expanded = expandPlan(plan);
  const previousVersion =
    options.previousVersion ?? (await lastSucceededVersion(journal, plan.service, plan.environment));
  const id = newDeploymentId();
  const result = await journal.createDeployment({
    id,
    service: plan.service,
    environment: plan.environment,
    version: options.version,
    previousVersion,
    requestedBy: options.requestedBy,
    planHash: expanded.hash,
    plan: snapshot,
    queue: options.queue ?? false,
    createdEvent: {
      service: plan.service,
      environment: plan.environment,
      version: options.version,
      previousVersion,
      planHash: expanded.hash,
      planPath: path,
      stepCount: expanded.main.length,
      ...(options.overrideWindow ? { overrideWindow: options.overrideWindow } : {}),
    },
  });
  if (!result.created) throw lockedError(plan.service, plan.environment, result.holder);
  if (options.overrideWindow) {
    await journal.append([
      {
        deploymentId: id,
        events: [{ type: EVENT.windowOverridden, data: options.overrideWindow, actor: options.requestedBy }],
      },
    ]);
  }
  return { deployment: result.deployment, expanded };
}

export function newDeploymentId(): string {
  return `d-${randomBytes(5).toString('hex')}`;
}

export function readPlanFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (thrown) {
    throw new GantryError('GANTRY_PLAN_NOT_FOUND', `cannot read plan ${path}: ${(thrown as Error).message}`, {
      hint: 'check the path; plans are YAML files such as examples/hello-runbook.yaml',
    });
  }
}

async function lastSucceededVersion(
  journal: Journal,
  service: string,
  environment: string,
): Promise<string | null> {
  const [last] = await journal.listDeployments({ service, environment, statuses: ['succeeded'], limit: 1 });
  return last?.version ?? null;
}

function lockedError(service: string, environment: string, holder: DeploymentRecord): GantryError {
  return new GantryError(
    'GANTRY_LOCKED',
    `${service} in ${environment} is already being deployed: ${holder.id} (version ${holder.version}, ${holder.status}, requested by ${holder.requestedBy})`,
    {
      hint: `wait for it (\`gantry status ${holder.id} --watch\`), or add --queue to run after it`,
      context: { holder: holder.id },
    },
  );
}
