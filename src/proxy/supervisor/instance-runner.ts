// The life of one instance: spawn it on a free port, admit it to traffic once its health check passes, probe
// it periodically, restart it with backoff when it dies, and stop it by draining, SIGTERM, then SIGKILL.

import type { DrainOptions } from '../api.js';
import type { ProxyHome } from '../home.js';
import type { Instance } from '../model/instance.js';
import { type BackoffPolicy, restartDelayMs } from './backoff.js';
import { HealthMonitor, probeInstance, waitUntilHealthy } from './health-monitor.js';
import { tailOf, writeLogHeader } from './log-file.js';
import { freePort } from './ports.js';
import { readProcStat } from './proc-stat.js';
import {
  adoptProcess,
  describeExit,
  isSameProcessAlive,
  type ProcessHandle,
  settlesWithin,
  spawnInstanceProcess,
  terminate,
} from './process-handle.js';
import { instanceSpawnSpec } from './spawn-spec.js';

export interface RunnerDeps {
  paths: ProxyHome;
  baseEnv: NodeJS.ProcessEnv;
  backoff: BackoffPolicy;
  /** Something a snapshot records changed. */
  changed(): void;
  log(line: string): void;
}

/** An instance that did not become healthy; its process has been killed. */
export class LaunchFailure extends Error {
  constructor(
    readonly instance: Instance,
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(`instance ${instance.id} ${reason}`);
  }
}

export class InstanceRunner {
  readonly health: HealthMonitor;

  constructor(private readonly deps: RunnerDeps) {
    this.health = new HealthMonitor(deps);
  }

  /** Spawns a new process and resolves once it passes its health check; else kills it and throws LaunchFailure. */
  async launch(instance: Instance): Promise<void> {
    const { spec } = instance.version;
    instance.status = 'starting';
    instance.adopted = false;
    instance.lastHealthError = null;
    instance.port = await freePort();
    instance.renewPool();
    const identity = {
      service: instance.version.service.name,
      version: instance.version.name,
      index: instance.index,
      port: instance.port,
    };
    await writeLogHeader(
      instance.logPath,
      `starting ${identity.service}/${instance.id} on port ${instance.port}: ${spec.command}`,
    );
    let handle: ProcessHandle;
    try {
      handle = await spawnInstanceProcess(
        instanceSpawnSpec(identity, spec, this.deps.baseEnv),
        instance.logPath,
      );
    } catch (error) {
      throw new LaunchFailure(instance, (error as Error).message, await tailOf(instance.logPath));
    }
    instance.process = handle;
    instance.startedAtMs = Date.now();
    instance.procStartTicks = (await readProcStat(handle.pid))?.startTicks ?? null;
    this.watchExit(instance, handle);
    this.deps.changed();
    const problem = await waitUntilHealthy(instance, handle);
    if (problem !== null) {
      await terminate(handle, 2000);
      throw new LaunchFailure(instance, problem, await tailOf(instance.logPath));
    }
    this.admit(instance);
  }

  /** Takes over a process a previous proxy started, if it is still the same process and healthy. */
  async adopt(
    instance: Instance,
    saved: { pid: number; port: number; procStartTicks: number | null; startedAtMs: number },
  ): Promise<boolean> {
    if (!(await isSameProcessAlive(saved.pid, saved.procStartTicks))) return false;
    instance.port = saved.port;
    instance.renewPool();
    const handle = adoptProcess(saved.pid, saved.procStartTicks);
    let problem: string | null = 'not probed';
    for (let attempt = 0; attempt < 3 && problem !== null; attempt++) {
      if (attempt > 0) await sleep(250);
      problem = await probeInstance(instance, saved.port);
    }
    if (problem !== null) {
      this.deps.log(
        `${instance.version.service.name}/${instance.id}: pid ${saved.pid} is running but unhealthy (${problem}); replacing it`,
      );
      await terminate(handle, instance.version.spec.drain.killAfterMs);
      return false;
    }
    instance.process = handle;
    instance.adopted = true;
    instance.procStartTicks = saved.procStartTicks;
    instance.startedAtMs = saved.startedAtMs;
    this.watchExit(instance, handle);
    this.admit(instance);
    return true;
  }

  /** Starts the instance in the background, retrying with backoff until it runs or is stopped. */
  launchInBackground(instance: Instance): void {
    instance.status = 'crashed';
    instance.consecutiveCrashes = 0;
    void this.restartLoop(instance, false);
  }

  /** Drains (no new requests; waits for in-flight ones up to the timeout), then SIGTERM, then SIGKILL. */
  async stop(instance: Instance, drain: Required<DrainOptions>): Promise<void> {
    instance.stopping = true;
    clearTimeout(instance.healthTimer);
    instance.wakeRestart?.();
    if (instance.status !== 'stopped') {
      instance.status = 'draining';
      instance.version.refreshRoutable();
      this.deps.changed();
      await settlesWithin(instance.whenIdle(), drain.drainTimeoutMs);
      instance.status = 'stopping';
      const handle = instance.process;
      if (handle && !handle.hasExited) await terminate(handle, drain.killAfterMs);
    }
    instance.closePool();
    instance.status = 'stopped';
    this.deps.changed();
  }

  /** Stops probing and restarting, leaving the process running (the proxy exits and a new one adopts it). */
  release(instance: Instance): void {
    instance.stopping = true;
    clearTimeout(instance.healthTimer);
    instance.wakeRestart?.();
  }

  private admit(instance: Instance): void {
    instance.status = 'healthy';
    instance.healthySinceMs = Date.now();
    instance.probeFailures = 0;
    instance.lastHealthError = null;
    instance.version.refreshRoutable();
    this.health.watch(instance, instance.process as ProcessHandle);
    this.deps.changed();
  }

  private watchExit(instance: Instance, handle: ProcessHandle): void {
    void handle.exited.then((info) => {
      if (instance.process !== handle || instance.stopping || instance.status === 'starting') return;
      clearTimeout(instance.healthTimer);
      if (
        instance.healthySinceMs > 0 &&
        Date.now() - instance.healthySinceMs > this.deps.backoff.forgiveAfterMs
      ) {
        instance.consecutiveCrashes = 0;
      }
      instance.status = 'crashed';
      instance.version.refreshRoutable();
      this.deps.log(
        `${instance.version.service.name}/${instance.id} (pid ${handle.pid}) ${describeExit(info)}; restarting it`,
      );
      this.deps.changed();
      void this.restartLoop(instance, true);
    });
  }

  private async restartLoop(instance: Instance, countRestarts: boolean): Promise<void> {
    if (instance.restarting) return;
    instance.restarting = true;
    const name = `${instance.version.service.name}/${instance.id}`;
    try {
      while (!instance.stopping) {
        if (countRestarts) {
          instance.consecutiveCrashes++;
          await this.sleepUnlessStopped(
            instance,
            restartDelayMs(instance.consecutiveCrashes, this.deps.backoff),
          );
          if (instance.stopping) return;
          instance.stats.countRestart(Date.now());
        }
        countRestarts = true;
        try {
          await this.launch(instance);
          this.deps.log(
            `${name}: running again (pid ${instance.pid}, port ${instance.port}, restarts ${instance.stats.restarts})`,
          );
          return;
        } catch (error) {
          instance.status = 'crashed';
          this.deps.log(`${name}: restart failed: ${(error as Error).message}`);
          this.deps.changed();
        }
      }
    } finally {
      instance.restarting = false;
    }
  }

  private sleepUnlessStopped(instance: Instance, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        instance.wakeRestart = undefined;
        resolve();
      }
      instance.wakeRestart = done;
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
