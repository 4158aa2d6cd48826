// The `nginx` target: a pure data plane. Versions run in the plan's slots (put there by its `start`
// command, or already there); Gantry checks the slot's servers are healthy, then routes by rewriting one
// nginx config file and reloading nginx. The file records what was applied, so repeating an operation
// after a crash finds it done or finishes it.

import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { GantryError } from '../../errors.js';
import type { NginxTarget as NginxConfig } from '../../plan/schema/nginx-target.js';
import type { DeploymentInfo } from '../../steps/step.js';
import {
  type AppliedState,
  emptyState,
  replacingInSlot,
  trafficOf,
  versionIn,
  viewOfState,
  withoutVersion,
  withVersion,
} from '../applied-state.js';
import { type RenderSettings, renderCommand } from '../command/render.js';
import { deploymentVariables, type Variables } from '../command/variables.js';
import { type CommandRunner, runOrFail, type ShellCommand } from '../shell-command.js';
import { slotFor } from '../slots.js';
import type { MaintenanceOptions, Target, TargetView } from '../target.js';
import { applyConfig } from './apply-config.js';
import { configFileText, readConfigFile, stateOfConfig } from './config-file.js';
import { type ServerProbe, waitHealthy } from './health.js';
import { type NginxRouting, renderNginxConfig } from './render-config.js';

export interface NginxTargetOptions {
  config: NginxConfig;
  info: DeploymentInfo;
  /** target.nginx.config and accessLog, resolved against the plan's folder. */
  paths: { config: string; accessLog?: string };
  run: CommandRunner;
  settings: RenderSettings;
  probe: ServerProbe;
  liveGeneration(): Promise<string | undefined>;
  /** Where nginx lets Gantry read the generation from besides loopback (the listen address). */
  checkFrom?: string;
  log: (line: string) => void;
}

const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export class NginxTarget implements Target {
  constructor(private readonly options: NginxTargetOptions) {}

  private get where(): string {
    return `${this.options.info.service} (${this.options.info.environment})`;
  }

  async describe(): Promise<TargetView> {
    const { config } = this.options;
    return viewOfState(await this.current(), config.listen, config.canaryHeader);
  }

  async ensureVersion(
    version: string,
    instances: number,
    options: { asRunning?: boolean } = {},
  ): Promise<void> {
    const { config, info } = this.options;
    checkVersionName(version);
    const state = await this.current();
    const previous = info.previousVersion !== version ? info.previousVersion : null;
    const slot = slotFor(state, { version, previous, slots: Object.keys(config.slots), where: this.where });
    const servers = config.slots[slot]?.servers ?? [];
    if (instances > servers.length) {
      throw new GantryError(
        'GANTRY_TARGET',
        `cannot run ${version} with ${instances} instances: slot ${slot} has ${servers.length} server${servers.length === 1 ? '' : 's'}`,
        {
          where: `target.nginx.slots.${slot}`,
          hint: 'give every slot as many servers as the strategy asks for',
        },
      );
    }
    const known = versionIn(state, version);
    if (known?.status === 'running' && known.slot === slot) {
      if (known.instances !== instances) await this.apply(withVersion(state, { ...known, instances }));
      return;
    }
    if (options.asRunning && known) this.log(`${version} is recorded as ${known.status}: starting it again`);
    if (config.start)
      await this.runHook('start', slotVariables(info, version, slot), `start ${version} in ${slot}`);
    await waitHealthy(servers, config.health, this.options.probe, `start ${version} in ${slot}`);
    await this.apply(replacingInSlot(state, { version, slot, instances, status: 'running' }));
  }

  async stopVersion(version: string, options: { force?: boolean } = {}): Promise<void> {
    const { config, info } = this.options;
    const state = await this.current();
    const known = versionIn(state, version);
    if (!known) return;
    const share = trafficOf(state, version);
    if (share > 0 && !options.force) {
      throw new GantryError(
        'GANTRY_TARGET',
        `cannot stop ${version} of ${this.where}: it still gets ${Math.round(share)}% of the traffic`,
        {
          where: this.where,
          hint: 'move its traffic to another version first',
        },
      );
    }
    // Out of nginx first, so no new request reaches it; then, once the requests old workers still hold had
    // time to finish, whatever stops its processes.
    await this.apply(withoutVersion(state, version));
    if (config.stop && config.drain > 0) await delay(config.drain);
    if (config.stop)
      await this.runHook(
        'stop',
        slotVariables(info, version, known.slot),
        `stop ${version} in ${known.slot}`,
      );
  }

  async setTraffic(sharesPct: Readonly<Record<string, number>>): Promise<void> {
    const state = await this.current();
    const weights: Record<string, number> = {};
    for (const [version, share] of Object.entries(sharesPct)) {
      if (share === 0) continue;
      const known = versionIn(state, version);
      if (known?.status !== 'running') {
        throw new GantryError(
          'GANTRY_TARGET',
          `cannot send ${share}% of ${this.where}'s traffic to ${version}: it is not in a slot`,
          {
            where: this.where,
            hint: 'start the version first',
          },
        );
      }
      weights[version] = share;
    }
    await this.apply({ ...state, weights });
  }

  async setHeaderRoute(version: string | null): Promise<void> {
    const state = await this.current();
    if (version !== null && versionIn(state, version)?.status !== 'running') {
      throw new GantryError(
        'GANTRY_TARGET',
        `cannot route the canary header to ${version}: it is not in a slot (${this.where})`,
        {
          where: this.where,
          hint: 'route the header after the step that starts the version',
        },
      );
    }
    await this.apply({ ...state, headerRoute: version });
  }

  async setMaintenance(enabled: boolean, options: MaintenanceOptions = {}): Promise<void> {
    const state = await this.current();
    await this.apply({ ...state, maintenance: { enabled, ...options } });
  }

  private async current(): Promise<AppliedState> {
    const path = this.options.paths.config;
    return stateOfConfig(await readConfigFile(path), path) ?? emptyState();
  }

  /** Renders the state, writes it, tests it and reloads nginx, unless nginx already serves exactly that. */
  private async apply(state: AppliedState): Promise<void> {
    const { info, paths, run } = this.options;
    const routing = this.routingOf(state);
    const generation = generationOf(renderNginxConfig({ ...routing, generation: '' }));
    const text = configFileText(
      info.service,
      info.environment,
      state,
      renderNginxConfig({ ...routing, generation }),
    );
    await applyConfig(text, generation, {
      path: paths.config,
      run,
      test: this.hook('test', deploymentVariables(info), 'check the nginx configuration'),
      reload: this.hook('reload', deploymentVariables(info), 'reload nginx'),
      liveGeneration: () => this.options.liveGeneration(),
      reloadTimeoutMs: this.options.config.reloadTimeout,
    });
  }

  private routingOf(state: AppliedState): Omit<NginxRouting, 'generation'> {
    const { config, info, paths } = this.options;
    const running = state.versions.filter((v) => v.status === 'running');
    const routed = running.find((v) => v.version === state.headerRoute);
    return {
      service: info.service,
      environment: info.environment,
      listen: config.listen,
      ...(config.serverName ? { serverName: config.serverName } : {}),
      slots: running.map((v) => ({
        slot: v.slot,
        version: v.version,
        servers: (config.slots[v.slot]?.servers ?? []).slice(0, v.instances),
        weightPct: trafficOf(state, v.version),
      })),
      headerRoute: routed ? routed.slot : null,
      canaryHeader: config.canaryHeader,
      maintenance: state.maintenance,
      ...(paths.accessLog ? { accessLog: paths.accessLog } : {}),
      keepalive: config.keepalive,
      ...(this.options.checkFrom ? { checkFrom: this.options.checkFrom } : {}),
    };
  }

  private hook(
    operation: 'start' | 'stop' | 'test' | 'reload',
    variables: Variables,
    purpose: string,
  ): ShellCommand {
    const template = this.options.config[operation] as string;
    const source = `target.nginx.${operation}`;
    return renderCommand(
      { source, template, variables, purpose: `${source}: ${purpose}` },
      this.options.settings,
    );
  }

  private async runHook(operation: 'start' | 'stop', variables: Variables, purpose: string): Promise<void> {
    await runOrFail(this.options.run, this.hook(operation, variables, purpose));
  }

  private log(line: string): void {
    this.options.log(line);
  }
}

function slotVariables(info: DeploymentInfo, version: string, slot: string): Variables {
  return { ...deploymentVariables(info, version), color: slot };
}

function checkVersionName(version: string): void {
  if (VERSION_NAME.test(version)) return;
  throw new GantryError(
    'GANTRY_TARGET',
    `version ${JSON.stringify(version)} cannot go into an nginx configuration or a shell command`,
    {
      hint: 'name versions with letters, digits, ".", "_", "-" or "+" only',
    },
  );
}

function generationOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
