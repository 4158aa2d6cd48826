// Builds the local target of a deployment: the proxy of GANTRY_HOME (started detached when none answers,
// and left running after the engine exits: the data plane outlives the control plane) and the plan's config.

import type { DeploymentRuntime } from '../../engine/runtime.js';
import type { LocalTarget as LocalTargetConfig } from '../../plan/schema/target.js';
import { renderDeep } from '../../plan/template.js';
import { ensureProxy } from '../../proxy/ensure.js';
import { LocalTarget } from './local-target.js';
import { proxyServiceName } from './naming.js';

export async function connectLocalTarget(
  runtime: DeploymentRuntime,
  config: LocalTargetConfig,
  home: string,
): Promise<LocalTarget> {
  const admin = await ensureProxy(home);
  const { info, template, planDir } = runtime;
  return new LocalTarget({
    admin,
    serviceName: proxyServiceName(info.service, info.environment),
    config,
    planDir,
    render: (value, version) =>
      renderDeep(value, { ...template, variables: { ...template.variables, version } }),
  });
}
