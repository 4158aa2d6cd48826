// What gantry-proxy is asked to run for one version of a plan's `local` target, as data (tested by equality).

import { isAbsolute, resolve } from 'node:path';
import type { LocalTarget } from '../../plan/schema/target.js';
import type { VersionSpec } from '../../proxy/api.js';

/** Renders `${…}` in a plan value as seen by one version (`${version}` is that version). */
export type RenderFor = <T>(value: T, version: string) => T;

const SIZE_UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };

export function versionSpec(
  config: LocalTarget,
  version: string,
  instances: number,
  render: RenderFor,
  planDir: string,
): VersionSpec {
  const env = render({ ...config.env, ...(config.versions[version]?.env ?? {}) }, version);
  const cwd = config.cwd === undefined ? planDir : render(config.cwd, version);
  return {
    command: render(config.run, version),
    instances,
    env,
    cwd: isAbsolute(cwd) ? cwd : resolve(planDir, cwd),
    health: {
      path: config.health.path,
      expectStatus: config.health.expect.status,
      intervalMs: config.health.interval,
      timeoutMs: config.health.timeout,
      startupTimeoutMs: config.health.startupTimeout,
    },
    ...(config.memoryLimit ? { memoryLimitBytes: sizeBytes(config.memoryLimit) } : {}),
    drain: { drainTimeoutMs: config.drainTimeout },
  };
}

/** "512MiB" → 536870912 (the schema has checked the form). */
export function sizeBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(B|KiB|MiB|GiB)$/.exec(text);
  if (!match) throw new Error(`not a size: ${text}`);
  return Math.round(Number(match[1]) * (SIZE_UNITS[match[2] as string] ?? 1));
}
