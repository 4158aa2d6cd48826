// The `local` target: versions run as processes supervised by gantry-proxy, which also splits the traffic.
// Each operation reads the proxy's state first and asks only for what is missing, so repeating one is safe.

import { GantryError, isGantryError } from '../../errors.js';
import type { LocalTarget as LocalTargetConfig } from '../../plan/schema/target.js';
import type { NormalizedVersionSpec, ServiceState, VersionSpec, VersionState } from '../../proxy/api.js';
import type { MaintenanceOptions, Target, TargetView } from '../target.js';
import type { ProxyAdmin } from './proxy-admin.js';
import { type RenderFor, versionSpec } from './version-spec.js';

export interface LocalTargetOptions {
  admin: ProxyAdmin;
  /** The proxy service: proxyServiceName(service, environment). */
  serviceName: string;
  config: LocalTargetConfig;
  render: RenderFor;
  planDir: string;
}

export class LocalTarget implements Target {
  private declared = false;

  constructor(private readonly options: LocalTargetOptions) {}

  private get name(): string {
    return this.options.serviceName;
  }

  async describe(): Promise<TargetView> {
    return viewOf(await this.state());
  }

  async ensureVersion(
    version: string,
    instances: number,
    options: { asRunning?: boolean } = {},
  ): Promise<void> {
    const { admin } = this.options;
    const wanted = this.specFor(version, instances);
    const current = (await this.state()).versions.find((v) => v.version === version);
    if (current?.status === 'running' && (options.asRunning || sameLaunch(current.spec, wanted))) {
      if (current.spec.instances !== instances) await admin.scaleVersion(this.name, version, instances);
      return;
    }
    if (current?.status === 'running') {
      throw new GantryError(
        'GANTRY_TARGET',
        `version ${version} of ${this.name} already runs on gantry-proxy with another command, directory or environment`,
        {
          where: `${this.name}/${version}`,
          hint: 'deploy the changed plan under a new version name, or stop the running one first',
        },
      );
    }
    await admin.startVersion(this.name, version, wanted);
  }

  async stopVersion(version: string, options: { force?: boolean } = {}): Promise<void> {
    const state = await this.state();
    if (!state.versions.some((v) => v.version === version)) return;
    await this.options.admin.stopVersion(this.name, version, { force: options.force ?? false });
  }

  async setTraffic(sharesPct: Readonly<Record<string, number>>): Promise<void> {
    const state = await this.state();
    const weights: Record<string, number> = {};
    for (const [version, share] of Object.entries(sharesPct)) {
      const known = state.versions.find((v) => v.version === version);
      if (!known && share === 0) continue;
      if (!known || (known.status !== 'running' && share > 0)) {
        throw new GantryError(
          'GANTRY_TARGET',
          `cannot send ${share}% of ${this.name}'s traffic to ${version}: it is ${known ? known.status : 'not running'} on gantry-proxy`,
          {
            where: `${this.name}/${version}`,
            hint: known
              ? `see its instances with \`gantry status\`; its log is under logs/${this.name}/ in GANTRY_HOME`
              : 'the version was stopped or never started here; deploy it again to bring it back',
          },
        );
      }
      weights[version] = share;
    }
    if (sameWeights(state.weights, weights)) return;
    await this.options.admin.setWeights(this.name, weights);
  }

  async setHeaderRoute(version: string | null): Promise<void> {
    const state = await this.state();
    if (state.canaryVersion === version) return;
    if (version !== null && !state.versions.some((v) => v.version === version)) {
      throw new GantryError(
        'GANTRY_TARGET',
        `cannot route the canary header to ${version}: it is not running on gantry-proxy (${this.name})`,
        { where: `${this.name}/${version}`, hint: 'route the header after the step that starts the version' },
      );
    }
    await this.options.admin.setCanary(this.name, version);
  }

  async setMaintenance(enabled: boolean, options: MaintenanceOptions = {}): Promise<void> {
    await this.state();
    await this.options.admin.setMaintenance(this.name, {
      enabled,
      ...(options.message ? { message: options.message } : {}),
      ...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {}),
    });
  }

  /** The service as the proxy has it; declares it on first use (declaring again changes nothing). */
  private async state(): Promise<ServiceState> {
    const { admin, config } = this.options;
    if (!this.declared) {
      const declared = await admin.declareService(this.name, { listen: config.listen });
      this.declared = true;
      return declared;
    }
    try {
      return await admin.getService(this.name);
    } catch (thrown) {
      // The proxy was restarted without its state: declare the service again.
      if (!isGantryError(thrown) || thrown.context.httpStatus !== 404) throw thrown;
      this.declared = false;
      return this.state();
    }
  }

  private specFor(version: string, instances: number): VersionSpec {
    const { config, render, planDir } = this.options;
    return versionSpec(config, version, instances, render, planDir);
  }
}

/** Whether a running version was started from the same command, directory and environment. */
export function sameLaunch(running: NormalizedVersionSpec, wanted: VersionSpec): boolean {
  return (
    running.command === wanted.command &&
    (running.cwd ?? null) === (wanted.cwd ?? null) &&
    JSON.stringify(sorted(running.env)) === JSON.stringify(sorted(wanted.env ?? {})) &&
    running.health.path === wanted.health.path &&
    (running.memoryLimitBytes ?? null) === (wanted.memoryLimitBytes ?? null)
  );
}

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

function sameWeights(current: Record<string, number>, wanted: Record<string, number>): boolean {
  const names = new Set([...Object.keys(current), ...Object.keys(wanted)]);
  return [...names].every((name) => (current[name] ?? 0) === (wanted[name] ?? 0));
}

export function viewOf(state: ServiceState): TargetView {
  const routed = state.versions.filter((v) => v.status === 'running');
  const total = routed.reduce((sum, v) => sum + (state.weights[v.version] ?? 0), 0);
  return {
    address: state.address,
    versions: state.versions.map((v: VersionState) => ({
      version: v.version,
      status: v.status,
      instances: v.instances.filter((i) => i.status !== 'stopped').length,
      healthyInstances: v.instances.filter((i) => i.status === 'healthy').length,
      trafficPct: v.status === 'running' && total > 0 ? ((state.weights[v.version] ?? 0) / total) * 100 : 0,
    })),
    headerRoute: state.canaryVersion,
    canaryHeader: state.canaryHeader,
    maintenance: state.maintenance.enabled,
  };
}
