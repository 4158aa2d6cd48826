// Small builders for journal tests: deployments, status events, and a short chain of several deployments.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Status } from '../../src/deployment/status.js';
import type { DeploymentRecord, Journal, NewDeployment, NewEvent } from '../../src/journal/journal.js';
import type { WorkerTask } from './append-worker.js';

let counter = 0;

export function newDeployment(overrides: Partial<NewDeployment> = {}): NewDeployment {
  counter++;
  const version = `1.0.${counter}`;
  return {
    id: `dep-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    service: 'shop-api',
    environment: 'production',
    version,
    previousVersion: null,
    requestedBy: 'alice',
    planHash: 'plan-hash-1',
    plan: { path: 'plans/shop-api.yaml', source: 'service: shop-api\nenvironment: production\n' },
    queue: false,
    createdEvent: { version, strategy: 'canary' },
    ...overrides,
  };
}

/** Creates a deployment that must be created (not refused). */
export async function createDeployment(
  journal: Journal,
  overrides: Partial<NewDeployment> = {},
): Promise<DeploymentRecord> {
  const result = await journal.createDeployment(newDeployment(overrides));
  if (!result.created)
    throw new Error(`expected the deployment to be created, but ${result.holder.id} holds the lock`);
  return result.deployment;
}

export function statusChanged(to: Status): NewEvent {
  return { type: 'status.changed', data: { to } };
}

export async function appendOne(journal: Journal, deploymentId: string, event: NewEvent): Promise<void> {
  const [result] = await journal.append([{ deploymentId, events: [event] }]);
  expect(result).toMatchObject({ ok: true });
}

/**
 * Ten events over three deployments, interleaved:
 * seq 1 A.0 created, 2 B.0 created, 3 C.0 created, 4 A.1, 5 A.2, 6 B.1, 7 A.3, 8 C.1, 9 B.2, 10 A.4.
 */
export async function buildChain(journal: Journal): Promise<Record<'a' | 'b' | 'c', DeploymentRecord>> {
  const a = await createDeployment(journal, { service: 'shop-api' });
  const b = await createDeployment(journal, { service: 'billing' });
  const c = await createDeployment(journal, { service: 'search' });
  const order: [DeploymentRecord, NewEvent][] = [
    [a, statusChanged('running')],
    [a, { type: 'weight.set', data: { weightPct: 5 } }],
    [b, statusChanged('running')],
    [a, { type: 'analysis.measured', data: { metric: 'error_rate', value: 0.002 } }],
    [c, statusChanged('running')],
    [b, { type: 'step.succeeded', data: { step: 'preflight' } }],
    [a, { type: 'weight.set', data: { weightPct: 25 } }],
  ];
  for (const [deployment, event] of order) await appendOne(journal, deployment.id, event);
  return { a, b, c };
}

const WORKER = fileURLToPath(new URL('./append-worker.ts', import.meta.url));

/** Runs append-worker.ts in its own Node process; resolves with how many events it wrote. */
export function runAppendWorker(task: WorkerTask): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(task)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`append worker exited with ${code}:\n${stderr}`));
      else resolve((JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { written: number }).written);
    });
  });
}
