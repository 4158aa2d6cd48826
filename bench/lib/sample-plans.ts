// Plans that deploy the sample app through gantry-proxy for the traffic benchmarks, and the small helpers
// around them: a free loopback port, and stopping the proxy with everything it runs.

import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdminClient } from '../../src/proxy/admin-client.js';

export const SAMPLE_APP = fileURLToPath(new URL('../../examples/sample-app/server.js', import.meta.url));

export function writeSamplePlan(
  dir: string,
  name: string,
  options: { service: string; port: number; instances: number; strategy: string },
): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    `service: ${options.service}
environment: bench
target:
  local:
    run: exec "${process.execPath}" "${SAMPLE_APP}"
    instances: ${options.instances}
    listen: 127.0.0.1:${options.port}
    health: { path: /health, interval: 200ms, startupTimeout: 20s }
    drainTimeout: 5s
strategy:
${options.strategy}
`,
  );
  return path;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Stops the proxy (draining its instances) and waits for its process to exit. */
export async function stopProxy(client: AdminClient): Promise<void> {
  const { pid } = await client.health();
  await client.shutdown(false);
  client.close();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGKILL');
}
