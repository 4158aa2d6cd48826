// Health of running instances: the first probe that admits a new instance to traffic, periodic probes that
// take an instance out of rotation after `unhealthyThreshold` failures (and back after one success), and
// the router's report of a refused connection, which takes it out at once.

import type { Instance } from '../model/instance.js';
import { probe } from './health.js';
import { describeExit, type ExitInfo, type ProcessHandle } from './process-handle.js';

const STARTUP_POLL_MS = 100;

export interface HealthDeps {
  changed(): void;
  log(line: string): void;
}

/** Probes an instance with its version's health check (on `port`, default its own). */
export function probeInstance(
  instance: Instance,
  port = instance.port,
  timeoutMs?: number,
): Promise<string | null> {
  const { health } = instance.version.spec;
  return probe({
    host: instance.host,
    port,
    path: health.path,
    expectStatus: health.expectStatus,
    timeoutMs: timeoutMs ?? health.timeoutMs,
  });
}

/** Polls a starting instance until it is healthy (null), or says why it never was. */
export async function waitUntilHealthy(instance: Instance, handle: ProcessHandle): Promise<string | null> {
  const { health } = instance.version.spec;
  const deadline = Date.now() + health.startupTimeoutMs;
  let exit: ExitInfo | undefined;
  void handle.exited.then((info) => {
    exit = info;
  });
  let last = 'no probe answered';
  while (Date.now() < deadline) {
    if (instance.stopping) return 'was stopped while starting';
    if (exit) return `${describeExit(exit)} before passing GET ${health.path}`;
    const problem = await probeInstance(
      instance,
      instance.port,
      Math.max(10, Math.min(health.timeoutMs, deadline - Date.now())),
    );
    if (problem === null && !handle.hasExited) return null;
    last = problem ?? 'exited';
    instance.lastHealthError = last;
    await new Promise((resolve) => setTimeout(resolve, STARTUP_POLL_MS));
  }
  return `did not pass its health check within ${health.startupTimeoutMs} ms (last: ${last})`;
}

export class HealthMonitor {
  constructor(private readonly deps: HealthDeps) {}

  /** Probes every `intervalMs` while `handle` is the instance's process and it is not being stopped. */
  watch(instance: Instance, handle: ProcessHandle): void {
    instance.healthTimer = setTimeout(async () => {
      if (instance.stopping || instance.process !== handle || handle.hasExited) return;
      const problem = await probeInstance(instance);
      if (instance.stopping || instance.process !== handle || handle.hasExited) return;
      this.apply(instance, problem);
      this.watch(instance, handle);
    }, instance.version.spec.health.intervalMs);
    instance.healthTimer.unref();
  }

  /** A proxied request was refused: no more traffic until a probe passes. */
  markRefused(instance: Instance, error: Error & { code?: string }): void {
    if (instance.status !== 'healthy') return;
    instance.status = 'unhealthy';
    instance.probeFailures = instance.version.spec.health.unhealthyThreshold;
    instance.lastHealthError = `refused a proxied request (${error.code ?? error.message})`;
    instance.version.refreshRoutable();
    this.deps.log(
      `${instance.version.service.name}/${instance.id}: ${instance.lastHealthError}; out of rotation until healthy`,
    );
    this.deps.changed();
  }

  private apply(instance: Instance, problem: string | null): void {
    const name = `${instance.version.service.name}/${instance.id}`;
    if (problem === null) {
      instance.probeFailures = 0;
      instance.lastHealthError = null;
      if (instance.status !== 'unhealthy') return;
      instance.status = 'healthy';
      this.deps.log(`${name}: healthy again; back in rotation`);
    } else {
      instance.probeFailures++;
      instance.lastHealthError = problem;
      if (
        instance.status !== 'healthy' ||
        instance.probeFailures < instance.version.spec.health.unhealthyThreshold
      )
        return;
      instance.status = 'unhealthy';
      this.deps.log(`${name}: unhealthy (${problem}); out of rotation until a probe passes`);
    }
    instance.version.refreshRoutable();
    this.deps.changed();
  }
}
