// Waits until every server of a slot answers its health check, or says which one did not and why.

import { GantryError } from '../../errors.js';
import type { HealthCheck } from '../../plan/schema/health-check.js';
import { probe } from '../../proxy/supervisor/health.js';

/** Resolves null when the server is healthy, else what went wrong (STYLE 6: tests inject their own). */
export type ServerProbe = (server: string, health: HealthCheck) => Promise<string | null>;

export const httpProbe: ServerProbe = async (server, health) => {
  // A unix socket is reached by nginx only; Gantry trusts the start command for it.
  if (server.startsWith('unix:')) return null;
  const at = server.lastIndexOf(':');
  const host = server.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  return probe({
    host,
    port: Number(server.slice(at + 1)),
    path: health.path,
    expectStatus: health.expect.status,
    timeoutMs: health.timeout,
  });
};

export async function waitHealthy(
  servers: readonly string[],
  health: HealthCheck,
  check: ServerProbe,
  what: string,
): Promise<void> {
  const deadline = Date.now() + health.startupTimeout;
  for (;;) {
    const problems = (
      await Promise.all(servers.map(async (server) => [server, await check(server, health)] as const))
    ).filter(([, problem]) => problem !== null);
    if (problems.length === 0) return;
    if (Date.now() + health.interval > deadline) {
      const [server, problem] = problems[0] as readonly [string, string];
      throw new GantryError(
        'GANTRY_TARGET',
        `${what}: ${server} is not healthy after ${health.startupTimeout}ms (${problem})${problems.length > 1 ? `, and ${problems.length - 1} more server${problems.length > 2 ? 's' : ''}` : ''}`,
        { where: server, hint: 'check that the start command put the version on every server of the slot' },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, health.interval));
  }
}
