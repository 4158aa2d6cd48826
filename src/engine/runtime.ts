// Everything a deployment needs in memory to run, rebuilt from its plan snapshot on every (re)start:
// the validated plan, its expansion, resolved secrets, the redactor and the notification channels.

import { dirname, resolve } from 'node:path';
import { GantryError } from '../errors.js';
import type { DeploymentRecord, PlanSnapshot } from '../journal/journal.js';
import { type ChannelSender, channelSender } from '../notify/channels.js';
import { formatDiagnostics } from '../plan/diagnostics.js';
import { expandPlan } from '../plan/expand.js';
import { parsePlan } from '../plan/load.js';
import type { ExpandedPlan } from '../plan/planned-step.js';
import type { Plan } from '../plan/schema/plan.js';
import { renderDeep, type TemplateContext } from '../plan/template.js';
import { Redactor } from '../secrets/redactor.js';
import { resolveSecrets, type SecretValues } from '../secrets/resolve.js';
import type { DeploymentInfo } from '../steps/step.js';

export interface DeploymentRuntime {
  info: DeploymentInfo;
  plan: Plan;
  planDir: string;
  expanded: ExpandedPlan;
  secrets: SecretValues;
  redactor: Redactor;
  template: TemplateContext;
  channels: ChannelSender;
}

/** Parses and validates a plan snapshot, or throws GantryError(planInvalid) with every diagnostic. */
export function planFromSnapshot(snapshot: PlanSnapshot): Plan {
  const parsed = parsePlan(snapshot.source, snapshot.path);
  if (!parsed.ok) {
    const count = parsed.diagnostics.length;
    throw new GantryError(
      'GANTRY_PLAN_INVALID',
      `${snapshot.path} has ${count} problem${count === 1 ? '' : 's'}:\n\n${formatDiagnostics(parsed.diagnostics, snapshot.source)}\n`,
      {
        hint: `fix them and check with \`gantry validate ${snapshot.path}\``,
      },
    );
  }
  return parsed.plan;
}

export function buildRuntime(
  record: DeploymentRecord,
  snapshot: PlanSnapshot,
  env: NodeJS.ProcessEnv,
): DeploymentRuntime {
  const plan = planFromSnapshot(snapshot);
  const planDir = dirname(resolve(snapshot.path));
  const secrets = resolveSecrets(plan.secrets, env, planDir);
  const info: DeploymentInfo = {
    id: record.id,
    service: record.service,
    environment: record.environment,
    version: record.version,
    previousVersion: record.previousVersion,
    requestedBy: record.requestedBy,
  };
  const template = { variables: templateVariables(info), secrets };
  return {
    info,
    plan,
    planDir,
    expanded: expandPlan(plan),
    secrets,
    redactor: new Redactor(secrets),
    template,
    channels: channelSender(renderDeep(plan.notify.channels, template)),
  };
}

export function templateVariables(info: DeploymentInfo): Record<string, string | null> {
  return {
    service: info.service,
    environment: info.environment,
    version: info.version,
    previousVersion: info.previousVersion,
    'deployment.id': info.id,
    requestedBy: info.requestedBy,
  };
}
