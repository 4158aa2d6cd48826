// The services a deployment's steps and extensions use, built from its plan when its run starts:
// notification channels, backups, the data-plane target and the metric sources.

import { resolve } from 'node:path';
import { backupService } from '../backup/service.js';
import type { Journal } from '../journal/journal.js';
import type { ProxyStats } from '../metrics/builtin/proxy-stats.js';
import { nginxLogStatsOf } from '../metrics/nginx/log-stats.js';
import { planMetricSources, proxyStatsOf } from '../metrics/plan-sources.js';
import type { Target as TargetConfig } from '../plan/schema/target.js';
import type { StepServices } from '../steps/services.js';
import { connectCommandTarget } from '../targets/command/connect.js';
import { connectLocalTarget } from '../targets/local/connect.js';
import { connectNginxTarget } from '../targets/nginx/connect.js';
import type { Target } from '../targets/target.js';
import type { DeploymentRuntime } from './runtime.js';

export interface ServiceContext {
  /** GANTRY_HOME, where local data planes keep their state. */
  home: string;
  /** The journal, for services that read other deployments (backup retention). */
  journal?: Journal;
  /** The deployment's log, where data-plane commands write their output. */
  log?: (line: string) => void;
}

export async function buildServices(
  runtime: DeploymentRuntime,
  context: ServiceContext,
): Promise<StepServices> {
  const plane = runtime.plan.target ? await dataPlane(runtime, runtime.plan.target, context) : undefined;
  return {
    notifications: runtime.channels,
    backups: backupService(context.journal, context.home),
    ...(plane ? { target: plane.target } : {}),
    metrics: planMetricSources(runtime, plane?.stats),
  };
}

/** The plan's target, and the statistics it keeps itself (none for a command target). */
async function dataPlane(
  runtime: DeploymentRuntime,
  config: TargetConfig,
  context: ServiceContext,
): Promise<{ target: Target; stats?: ProxyStats }> {
  const log = context.log ?? (() => {});
  if ('local' in config) {
    const target = await connectLocalTarget(runtime, config.local, context.home);
    return { target, stats: proxyStatsOf(context.home) };
  }
  if ('command' in config)
    return { target: connectCommandTarget(runtime, config.command, context.home, log) };
  const target = connectNginxTarget(runtime, config.nginx, log);
  return { target, stats: nginxLogStatsOf(runtime, config.nginx) };
}

export function gantryHomeOf(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.GANTRY_HOME ?? '.gantry');
}
