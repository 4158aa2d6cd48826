// Where a recorded backup goes back to, worked out again from the plan that took it: the Postgres URL with
// its secrets resolved from this process's environment (only the ones the URL uses), or the plan's folder.

import { dirname, resolve } from 'node:path';
import { planFromSnapshot, templateVariables } from '../engine/runtime.js';
import { GantryError } from '../errors.js';
import type { DeploymentRecord } from '../journal/journal.js';
import { expandPlan } from '../plan/expand.js';
import { renderTemplate } from '../plan/template.js';
import { resolveSecrets } from '../secrets/resolve.js';
import { plannedBackup } from './plan-backups.js';
import { pgConnection } from './postgres/connection.js';
import type { RestoreTarget } from './restore.js';

export function restoreTargetOf(
  record: DeploymentRecord,
  backupName: string,
  env: NodeJS.ProcessEnv,
): { target: RestoreTarget; secrets: ReadonlyMap<string, string> } {
  const plan = planFromSnapshot(record.plan);
  const planDir = dirname(resolve(record.plan.path));
  const planned = plannedBackup(expandPlan(plan).main, backupName);
  if (!planned) {
    throw new GantryError(
      'GANTRY_INVALID_STATE',
      `the plan of ${record.id} no longer names a backup "${backupName}"`,
    );
  }
  if (!('postgres' in planned.spec))
    return { target: { kind: 'files', baseDir: planDir }, secrets: new Map() };
  const url = planned.spec.postgres.url;
  const used = Object.fromEntries(
    Object.entries(plan.secrets).filter(([name]) => url.includes(`\${secrets.${name}}`)),
  );
  const secrets = resolveSecrets(used, env, planDir);
  const variables = templateVariables({
    id: record.id,
    service: record.service,
    environment: record.environment,
    version: record.version,
    previousVersion: record.previousVersion,
    requestedBy: record.requestedBy,
  });
  const connection = pgConnection(renderTemplate(url, { variables, secrets }));
  return { target: { kind: 'postgres', connection }, secrets };
}
