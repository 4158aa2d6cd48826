// Where the nginx target's files are: the config Gantry writes and the access log nginx writes, as
// absolute paths (relative ones are read from the plan's folder; ${service} and ${environment} allowed).

import { isAbsolute, resolve } from 'node:path';
import type { DeploymentRuntime } from '../../engine/runtime.js';
import type { NginxTarget as NginxConfig } from '../../plan/schema/nginx-target.js';
import { renderTemplate } from '../../plan/template.js';

/** The config file and the access log, as absolute paths. */
export function nginxPaths(
  runtime: Pick<DeploymentRuntime, 'info' | 'planDir' | 'secrets'>,
  config: Pick<NginxConfig, 'config' | 'accessLog'>,
): { config: string; accessLog?: string } {
  const variables = { service: runtime.info.service, environment: runtime.info.environment };
  const absolute = (path: string) => {
    const rendered = renderTemplate(path, { variables, secrets: runtime.secrets });
    return isAbsolute(rendered) ? rendered : resolve(runtime.planDir, rendered);
  };
  return {
    config: absolute(config.config),
    ...(config.accessLog ? { accessLog: absolute(config.accessLog) } : {}),
  };
}
