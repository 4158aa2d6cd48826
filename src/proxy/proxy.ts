// The proxy's core: the services it routes, and every operation the admin API offers on them. The admin
// layer only parses requests and calls these; the router and supervisor do the work.

import { GantryError } from '../errors.js';
import type {
  MaintenanceSettings,
  ProxyHealth,
  ServiceDeclaration,
  ServiceState,
  StatsQuery,
  StatsReport,
  StopOptions,
  VersionState,
} from './api.js';
import { parseListenAddress } from './listen-address.js';
import type { MetricsView } from './metrics-text.js';
import { metricsViewOf } from './metrics-view.js';
import type { Instance } from './model/instance.js';
import { Service } from './model/service.js';
import type { NormalizedVersionSpec } from './model/spec.js';
import type { Version } from './model/version.js';
import { assertValidWeights } from './model/weights.js';
import { ServiceRouter } from './router/router.js';
import type { ProxySnapshot } from './snapshot.js';
import { queryStats } from './stats/query.js';
import type { StatsStore } from './stats/stats-store.js';
import type { Supervisor } from './supervisor/supervisor.js';

interface Entry {
  service: Service;
  router: ServiceRouter;
}

export class GantryProxy {
  private readonly entries = new Map<string, Entry>();
  private readonly startedAtMs = Date.now();

  constructor(
    readonly home: string,
    private readonly stats: StatsStore,
    readonly supervisor: Supervisor,
    private readonly changed: () => void,
    private readonly random: () => number = Math.random,
  ) {}

  get services(): Service[] {
    return [...this.entries.values()].map((e) => e.service);
  }

  *instances(): Iterable<Instance> {
    for (const { service } of this.entries.values())
      for (const version of service.versions.values()) yield* version.instances;
  }

  service(name: string): Service {
    const entry = this.entries.get(name);
    if (!entry)
      throw notFound(`service "${name}" is not declared`, 'declare it with PUT /services/:name', name);
    return entry.service;
  }

  version(serviceName: string, name: string): Version {
    const version = this.service(serviceName).versions.get(name);
    if (!version)
      throw notFound(
        `service "${serviceName}" has no version "${name}"`,
        'start it with PUT /services/:name/versions/:version',
        `${serviceName}/${name}`,
      );
    return version;
  }

  /** Declares a service and starts listening; re-declaring updates sticky/canary settings in place. */
  async declareService(name: string, declaration: Required<ServiceDeclaration>): Promise<ServiceState> {
    const existing = this.entries.get(name);
    if (existing) {
      if (existing.service.config.listen !== declaration.listen) {
        throw new GantryError(
          'GANTRY_INVALID_STATE',
          `service "${name}" already listens on ${existing.service.address} (declared as ${existing.service.config.listen})`,
          {
            where: name,
            hint: 'delete the service first to move it to another address',
          },
        );
      }
      existing.service.updateConfig(declaration);
      this.changed();
      return existing.service.toState();
    }
    const address = parseListenAddress(declaration.listen, `${name}.listen`);
    const entry = this.createEntry(name, declaration);
    entry.service.address = await entry.router.listen(address);
    this.entries.set(name, entry);
    this.changed();
    return entry.service.toState();
  }

  private createEntry(name: string, declaration: Required<ServiceDeclaration>): Entry {
    const service = new Service(name, declaration, this.stats.service(name));
    const router = new ServiceRouter({
      service,
      onRefused: (instance, error) => this.supervisor.runner.health.markRefused(instance, error),
      random: this.random,
    });
    return { service, router };
  }

  async deleteService(name: string, options: StopOptions): Promise<void> {
    const service = this.service(name);
    await Promise.all(
      [...service.versions.values()].map((v) => this.supervisor.stopVersion(service, v, options)),
    );
    await this.entries.get(name)?.router.close(5000);
    this.entries.delete(name);
    this.changed();
  }

  async startVersion(serviceName: string, name: string, spec: NormalizedVersionSpec): Promise<VersionState> {
    const service = this.service(serviceName);
    const version = await this.supervisor.startVersion(service, name, spec);
    return version.toState(service.weightOf(name), service.canaryVersion === name);
  }

  async scaleVersion(
    serviceName: string,
    name: string,
    count: number,
    options: StopOptions,
  ): Promise<VersionState> {
    const service = this.service(serviceName);
    const version = await this.supervisor.scaleVersion(
      service,
      this.version(serviceName, name),
      count,
      options,
    );
    return version.toState(service.weightOf(name), service.canaryVersion === name);
  }

  /** Refuses to stop the last version carrying weight (the service would answer 502) unless forced. */
  async stopVersion(serviceName: string, name: string, options: StopOptions): Promise<void> {
    const service = this.service(serviceName);
    const version = this.version(serviceName, name);
    const others = service.table.entries.filter((v) => v !== version);
    if (!options.force && service.weightOf(name) > 0 && version.status === 'running' && others.length === 0) {
      throw new GantryError(
        'GANTRY_INVALID_STATE',
        `stopping ${name} would leave ${serviceName} with no version to route to: it carries all the weight`,
        {
          where: `${serviceName}/${name}`,
          hint: 'shift the weight to another running version first, or pass {"force": true} (recreate: expect 502s or turn maintenance on)',
        },
      );
    }
    await this.supervisor.stopVersion(service, version, options);
    if (service.canaryVersion === name) service.canaryVersion = null;
    service.weights.delete(name);
    service.refreshRouting();
    this.changed();
  }

  /** Replaces the weights; versions not named get 0. Every named version must be running. */
  setWeights(serviceName: string, weights: Record<string, number>): ServiceState {
    const service = this.service(serviceName);
    assertValidWeights(service, weights);
    service.weights = new Map(Object.entries(weights));
    service.refreshRouting();
    this.changed();
    return service.toState();
  }

  setCanary(serviceName: string, version: string | null): ServiceState {
    const service = this.service(serviceName);
    if (version !== null) this.version(serviceName, version);
    service.canaryVersion = version;
    service.refreshRouting();
    this.changed();
    return service.toState();
  }

  setMaintenance(
    serviceName: string,
    settings: Required<Omit<MaintenanceSettings, 'message'>> & { message: string | null },
  ): ServiceState {
    const service = this.service(serviceName);
    service.maintenance = {
      enabled: settings.enabled,
      retryAfterSeconds: settings.retryAfterSeconds,
      message: settings.message,
    };
    this.changed();
    return service.toState();
  }

  queryStats(serviceName: string, query: StatsQuery): StatsReport {
    const service = this.service(serviceName);
    if (query.instance !== undefined && query.version === undefined) {
      throw new GantryError('GANTRY_USAGE', 'a stats query for an instance needs its version', {
        hint: 'add version=… to the query',
      });
    }
    const nowMs = Date.now();
    const untilMs = query.untilMs ?? nowMs;
    const resolved = {
      ...query,
      untilMs,
      sinceMs: query.sinceMs ?? untilMs - 60_000,
      series: query.series ?? false,
      recent: query.recent ?? 0,
    };
    const memoryLimitOf = (name: string) => service.versions.get(name)?.spec.memoryLimitBytes ?? undefined;
    return queryStats(serviceName, service.stats, resolved, memoryLimitOf, nowMs);
  }

  metricsView(): MetricsView {
    return metricsViewOf(this.stats, (name) => this.entries.get(name)?.service);
  }

  health(): ProxyHealth {
    return {
      status: 'ok',
      pid: process.pid,
      home: this.home,
      startedAt: new Date(this.startedAtMs).toISOString(),
      uptimeMs: Date.now() - this.startedAtMs,
      services: this.entries.size,
      instances: [...this.instances()].filter((i) => i.status !== 'stopped').length,
    };
  }

  /** Rebuilds services from a snapshot: versions (adopting live instances) first, then the listener. */
  async restore(snapshot: ProxySnapshot, log: (line: string) => void): Promise<void> {
    for (const saved of snapshot.services) {
      try {
        const entry = this.createEntry(saved.name, saved.declaration);
        const { service } = entry;
        for (const version of saved.versions) await this.supervisor.restoreVersion(service, version);
        service.weights = new Map(Object.entries(saved.weights));
        service.canaryVersion = saved.canaryVersion;
        service.maintenance = saved.maintenance;
        service.refreshRouting();
        // The bound address, so a service declared on port 0 keeps its port.
        service.address = await entry.router.listen(
          parseListenAddress(saved.address || saved.declaration.listen, `${saved.name}.listen`),
        );
        this.entries.set(saved.name, entry);
        const adopted = [...service.versions.values()]
          .flatMap((v) => v.instances)
          .filter((i) => i.adopted).length;
        log(
          `restored ${saved.name} on ${service.address}: ${saved.versions.length} version(s), ${adopted} running instance(s) adopted`,
        );
      } catch (error) {
        log(`could not restore ${saved.name}: ${(error as Error).message}`);
      }
    }
    this.changed();
  }

  /** Stops the listeners (in-flight requests finish), then the instances unless they are kept for a successor. */
  async shutdown(keepInstances: boolean, graceMs: number): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.router.close(graceMs)));
    const all = [...this.instances()];
    if (keepInstances) {
      for (const instance of all) this.supervisor.runner.release(instance);
      return;
    }
    await Promise.all(
      all.map((i) =>
        this.supervisor.runner.stop(i, {
          drainTimeoutMs: graceMs,
          killAfterMs: i.version.spec.drain.killAfterMs,
        }),
      ),
    );
  }
}

function notFound(message: string, hint: string, where: string): GantryError {
  return new GantryError('GANTRY_USAGE', message, { where, hint, context: { httpStatus: 404 } });
}
