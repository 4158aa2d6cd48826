// The values of each operation's `${…}` variables (the names are declared in plan/target-variables.ts).
// Pure: the deployment, the record and the change in; a map of strings out.

import type { DeploymentInfo } from '../../steps/step.js';
import type { MaintenanceOptions } from '../target.js';

export type Variables = Record<string, string>;

/** A version and its slot ('' when versions replace each other in place). */
export interface Placed {
  version: string;
  slot: string;
}

/** What every command knows; `version` is the version acted on (start, stop), else the deployment's. */
export function deploymentVariables(info: DeploymentInfo, version = info.version): Variables {
  return {
    service: info.service,
    environment: info.environment,
    version,
    previousVersion: info.previousVersion ?? '',
    'deployment.id': info.id,
    requestedBy: info.requestedBy,
  };
}

export function startVariables(
  info: DeploymentInfo,
  placed: Placed,
  instances: number,
  sideBySide: boolean,
): Variables {
  return {
    ...deploymentVariables(info, placed.version),
    instances: String(instances),
    ...(sideBySide ? { color: placed.slot } : {}),
  };
}

export function stopVariables(info: DeploymentInfo, placed: Placed, sideBySide: boolean): Variables {
  return { ...deploymentVariables(info, placed.version), ...(sideBySide ? { color: placed.slot } : {}) };
}

export interface TrafficSplit {
  sharesPct: Readonly<Record<string, number>>;
  fresh: Placed;
  /** The version this deployment replaces, when there is one. */
  previous: Placed | null;
  colors: readonly string[];
  slotOf: (version: string) => string | undefined;
}

export function setTrafficVariables(
  info: DeploymentInfo,
  split: TrafficSplit,
  sideBySide: boolean,
): Variables {
  const { sharesPct, fresh, previous, colors } = split;
  const variables: Variables = {
    ...deploymentVariables(info),
    'weight.new': percent(sharesPct[fresh.version] ?? 0),
    'weight.old': percent(previous ? (sharesPct[previous.version] ?? 0) : 0),
    'new.version': fresh.version,
    'old.version': previous?.version ?? '',
  };
  if (!sideBySide) return variables;
  variables['new.color'] = fresh.slot;
  variables['old.color'] = previous?.slot ?? '';
  for (const color of colors) {
    const inSlot = Object.entries(sharesPct).filter(([version]) => split.slotOf(version) === color);
    variables[`weight.${color}`] = percent(inSlot.reduce((sum, [, share]) => sum + share, 0));
  }
  return variables;
}

export function switchVariables(
  info: DeploymentInfo,
  to: Placed,
  from: Placed | null,
  sideBySide: boolean,
): Variables {
  return {
    ...deploymentVariables(info),
    'to.version': to.version,
    'from.version': from?.version ?? '',
    ...(sideBySide ? { 'to.color': to.slot, 'from.color': from?.slot ?? '' } : {}),
  };
}

export function headerRouteVariables(
  info: DeploymentInfo,
  routed: Placed | null,
  canaryHeader: string,
  sideBySide: boolean,
): Variables {
  return {
    ...deploymentVariables(info),
    'headerRoute.enabled': String(routed !== null),
    'headerRoute.version': routed?.version ?? '',
    canaryHeader,
    ...(sideBySide ? { 'headerRoute.color': routed?.slot ?? '' } : {}),
  };
}

export function maintenanceVariables(
  info: DeploymentInfo,
  enabled: boolean,
  options: MaintenanceOptions,
): Variables {
  return {
    ...deploymentVariables(info),
    'maintenance.enabled': String(enabled),
    'maintenance.message': options.message ?? '',
    'maintenance.retryAfter': String(options.retryAfterSeconds ?? 300),
  };
}

/** 12.5 → "12.5", 100 → "100": at most three decimals, no trailing zeros. */
export function percent(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
