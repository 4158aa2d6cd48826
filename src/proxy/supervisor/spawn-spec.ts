// The process of an instance, as data: what to exec, where, with which environment. Tested by equality.

import type { NormalizedVersionSpec } from '../api.js';

export interface InstanceSpawnSpec {
  file: string;
  args: string[];
  cwd: string | undefined;
  env: Record<string, string>;
}

export interface InstanceIdentity {
  service: string;
  version: string;
  index: number;
  port: number;
}

/**
 * `/bin/sh -c COMMAND`, with the version's env over the proxy's own, and the variables the proxy owns
 * (PORT and the GANTRY_ names) over both: an instance must listen where the proxy routes.
 */
export function instanceSpawnSpec(
  id: InstanceIdentity,
  spec: NormalizedVersionSpec,
  baseEnv: NodeJS.ProcessEnv,
): InstanceSpawnSpec {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(baseEnv)) if (value !== undefined) env[name] = value;
  Object.assign(env, spec.env, {
    PORT: String(id.port),
    GANTRY_SERVICE: id.service,
    GANTRY_VERSION: id.version,
    GANTRY_INSTANCE: String(id.index),
  });
  return { file: '/bin/sh', args: ['-c', spec.command], cwd: spec.cwd ?? undefined, env };
}
