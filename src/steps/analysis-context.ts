// What analysis steps and the rollback watcher share: who the canary and the stable version are, since when
// the new version has been observed, and journaling outcomes and decisions.

import type { EvaluationContext, Versions } from '../analysis/evaluation.js';
import type { DeploymentState } from '../deployment/state.js';
import { GantryError } from '../errors.js';
import type { MetricSources } from '../metrics/metric-sources.js';
import type { DeploymentInfo } from './step.js';

/** Canary = the deployment's version, stable = the one it replaces (none on a first deployment or a redeploy). */
export function versionsOf(info: DeploymentInfo): Versions {
  const { version, previousVersion } = info;
  return { canary: version, stable: previousVersion && previousVersion !== version ? previousVersion : null };
}

/** When the new version took traffic; without a traffic split (a plain runbook), `fallbackMs`. */
export function observedSince(state: DeploymentState, fallbackMs: number): number {
  return state.trafficSince ? Date.parse(state.trafficSince) : fallbackMs;
}

export function evaluationContext(
  info: DeploymentInfo,
  sources: MetricSources | undefined,
  where: string,
): EvaluationContext {
  if (!sources) {
    throw new GantryError('GANTRY_METRICS', `${where} judges metrics, but no metric source was set up`, {
      where,
    });
  }
  return { sources, versions: versionsOf(info) };
}
