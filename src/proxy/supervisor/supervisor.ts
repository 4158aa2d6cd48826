// Version-level operations on instances: start a version (all instances healthy, or none left running),
// scale it, stop it with draining, restore it from a snapshot. One operation per version at a time.

import { GantryError } from '../../errors.js';
import type { NormalizedVersionSpec, StopOptions } from '../api.js';
import { instanceLogPath, type ProxyHome } from '../home.js';
import { Instance } from '../model/instance.js';
import type { Service } from '../model/service.js';
import { drainOf, sameSpec } from '../model/spec.js';
import { Version } from '../model/version.js';
import type { SavedVersion } from '../snapshot.js';
import { type InstanceRunner, LaunchFailure } from './instance-runner.js';
import { KeyedLock } from './keyed-lock.js';

export class Supervisor {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly paths: ProxyHome,
    readonly runner: InstanceRunner,
    private readonly changed: () => void,
  ) {}

  /** Starts `spec.instances` instances; resolves when all are healthy. Same spec while running: a no-op. */
  startVersion(service: Service, name: string, spec: NormalizedVersionSpec): Promise<Version> {
    return this.lock.run(`${service.name}/${name}`, async () => {
      const existing = service.versions.get(name);
      if (existing && existing.status === 'running' && sameSpec(existing.spec, spec)) return existing;
      if (existing && existing.status !== 'failed' && existing.status !== 'stopped') {
        throw new GantryError(
          'GANTRY_INVALID_STATE',
          `version ${name} of ${service.name} is already ${existing.status} with a different spec`,
          {
            where: `${service.name}/${name}`,
            hint: 'stop it first, scale it with PUT .../instances, or start the new spec under another version name',
          },
        );
      }
      const version = new Version(service, name, spec, service.stats.version(name));
      service.versions.set(name, version);
      version.instances = range(spec.instances).map((index) => this.newInstance(version, index));
      this.changed();
      const failure = await this.launchAll(version.instances);
      if (failure) {
        version.status = 'failed';
        version.error = failure.message;
        await Promise.all(
          version.instances.map((i) => this.runner.stop(i, { drainTimeoutMs: 0, killAfterMs: 2000 })),
        );
        service.refreshRouting();
        this.changed();
        throw startError(service.name, version.name, failure);
      }
      version.status = 'running';
      service.refreshRouting();
      this.changed();
      return version;
    });
  }

  /** Adds or drains-and-removes instances (highest indexes first) until there are `count`. */
  scaleVersion(service: Service, version: Version, count: number, options: StopOptions): Promise<Version> {
    return this.lock.run(`${service.name}/${version.name}`, async () => {
      if (version.status !== 'running') {
        throw new GantryError(
          'GANTRY_INVALID_STATE',
          `version ${version.name} of ${service.name} is ${version.status}, not running`,
          {
            where: `${service.name}/${version.name}`,
            hint: 'start the version first',
          },
        );
      }
      const current = version.instances;
      if (count > current.length) {
        const used = new Set(current.map((i) => i.index));
        const added = range(count * 2)
          .filter((i) => !used.has(i))
          .slice(0, count - current.length)
          .map((i) => this.newInstance(version, i));
        version.instances = [...current, ...added];
        this.changed();
        const failure = await this.launchAll(added);
        if (failure) {
          await Promise.all(added.map((i) => this.runner.stop(i, { drainTimeoutMs: 0, killAfterMs: 2000 })));
          version.instances = version.instances.filter((i) => !added.includes(i));
          version.refreshRoutable();
          this.changed();
          throw startError(service.name, version.name, failure);
        }
      } else if (count < current.length) {
        const byIndex = [...current].sort((a, b) => a.index - b.index);
        const removed = byIndex.slice(count);
        await Promise.all(removed.map((i) => this.runner.stop(i, drainOf(version.spec, options))));
        version.instances = version.instances.filter((i) => !removed.includes(i));
        version.refreshRoutable();
      }
      version.spec = { ...version.spec, instances: count };
      this.changed();
      return version;
    });
  }

  /** Takes the version out of routing, drains and stops its instances, and forgets it. */
  stopVersion(service: Service, version: Version, options: StopOptions): Promise<void> {
    return this.lock.run(`${service.name}/${version.name}`, async () => {
      version.status = 'draining';
      service.refreshRouting();
      this.changed();
      await Promise.all(version.instances.map((i) => this.runner.stop(i, drainOf(version.spec, options))));
      version.status = 'stopped';
      if (service.versions.get(version.name) === version) service.versions.delete(version.name);
      service.refreshRouting();
      this.changed();
    });
  }

  /** Rebuilds a version from the snapshot: adopts live healthy processes, starts the rest in the background. */
  async restoreVersion(service: Service, saved: SavedVersion): Promise<Version> {
    const version = new Version(service, saved.name, saved.spec, service.stats.version(saved.name));
    service.versions.set(saved.name, version);
    version.instances = saved.instances.map((s) => {
      const instance = this.newInstance(version, s.index);
      instance.stats.restarts = Math.max(instance.stats.restarts, s.restarts);
      return instance;
    });
    await Promise.all(
      version.instances.map(async (instance, i) => {
        const s = saved.instances[i];
        const adopted = s?.pid ? await this.runner.adopt(instance, { ...s, pid: s.pid }) : false;
        if (!adopted) this.runner.launchInBackground(instance);
      }),
    );
    version.status = 'running';
    service.refreshRouting();
    return version;
  }

  private newInstance(version: Version, index: number): Instance {
    const logPath = instanceLogPath(this.paths, version.service.name, version.name, index);
    return new Instance(version, index, logPath, version.stats.instance(index));
  }

  /** Launches all; the first failure (after all have settled), or undefined. */
  private async launchAll(instances: Instance[]): Promise<LaunchFailure | undefined> {
    const results = await Promise.allSettled(instances.map((i) => this.runner.launch(i)));
    for (const result of results) {
      if (result.status === 'rejected') {
        const error = result.reason;
        if (error instanceof LaunchFailure) return error;
        throw error;
      }
    }
    return undefined;
  }
}

function startError(service: string, version: string, failure: LaunchFailure): GantryError {
  const { instance, reason, logTail } = failure;
  const tail = logTail
    ? `\n--- last lines of ${instance.logPath} ---\n${logTail}`
    : ` (its log ${instance.logPath} is empty)`;
  return new GantryError(
    'GANTRY_TARGET',
    `version ${version} of ${service} did not start: instance ${instance.id} ${reason}${tail}`,
    {
      where: `${service}/${instance.id}`,
      hint: `read ${instance.logPath}; fix the command or the health check, then start the version again`,
      context: { service, version, instance: instance.id, reason, logPath: instance.logPath, logTail },
    },
  );
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
