// The dashboard's first page: every service and environment, the version running there (the last that
// succeeded) and the deployment in progress, from the newest deployments in the journal.

import { isTerminal } from '../deployment/status.js';
import type { DeploymentRecord, Journal } from '../journal/journal.js';

export type DeploymentSummary = Omit<DeploymentRecord, 'plan'>;

export interface ServiceEnvironment {
  service: string;
  environment: string;
  currentVersion: string | null;
  inProgress: DeploymentSummary | null;
  latest: DeploymentSummary;
}

export function summary({ plan: _plan, ...record }: DeploymentRecord): DeploymentSummary {
  return record;
}

export async function servicesOverview(journal: Journal, limit = 2_000): Promise<ServiceEnvironment[]> {
  const places = new Map<string, ServiceEnvironment>();
  for (const deployment of await journal.listDeployments({ limit })) {
    const key = `${deployment.service}\u0000${deployment.environment}`;
    let place = places.get(key);
    if (!place) {
      place = {
        service: deployment.service,
        environment: deployment.environment,
        currentVersion: null,
        inProgress: null,
        latest: summary(deployment),
      };
      places.set(key, place);
    }
    if (!place.currentVersion && deployment.status === 'succeeded') place.currentVersion = deployment.version;
    if (!place.inProgress && !isTerminal(deployment.status)) place.inProgress = summary(deployment);
  }
  return [...places.values()].sort(
    (a, b) => a.service.localeCompare(b.service) || a.environment.localeCompare(b.environment),
  );
}
