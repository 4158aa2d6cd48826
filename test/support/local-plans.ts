// Plans that deploy the sample app through gantry-proxy, for the strategy, demo and crash tests: fast
// health checks and short drains, one service per test on a free loopback port.

import { createServer } from 'node:net';
import { SAMPLE_APP } from './proxy-harness.js';

export interface SamplePlanOptions {
  service: string;
  port: number;
  /** The `strategy:` block, indented by two spaces. */
  strategy: string;
  instances?: number;
  /** FAULT for a version, e.g. { v2: 'errors:20' } (see examples/sample-app). */
  faults?: Record<string, string>;
  memoryLimit?: string;
  /** Further top-level YAML (analysis, rollback, monitor…). */
  extra?: string;
}

export function samplePlan(options: SamplePlanOptions): string {
  const faults = Object.entries(options.faults ?? {});
  const versions =
    faults.length === 0
      ? ''
      : `    versions:\n${faults.map(([version, fault]) => `      ${version}: { env: { FAULT: "${fault}" } }`).join('\n')}\n`;
  return `service: ${options.service}
environment: test
target:
  local:
    run: exec "${process.execPath}" "${SAMPLE_APP}"
    instances: ${options.instances ?? 2}
    listen: 127.0.0.1:${options.port}
    health: { path: /health, interval: 200ms, startupTimeout: 15s }
    drainTimeout: 2s
${options.memoryLimit ? `    memoryLimit: ${options.memoryLimit}\n` : ''}${versions}strategy:
${options.strategy}
${options.extra ?? ''}`;
}

/** A loopback port nobody listens on now. */
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
