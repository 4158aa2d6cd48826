// The `command` target: each Target operation runs the plan's shell command for it (kubectl, vercel,
// systemctl…) and records what it applied. An operation whose end state the record (or the `describe`
// command) already shows runs nothing, so repeating one after a crash converges instead of repeating work.

import { createHash } from 'node:crypto';
import { GantryError } from '../../errors.js';
import type { CommandTarget as CommandConfig, CommandOperation } from '../../plan/schema/command-target.js';
import type { DeploymentInfo } from '../../steps/step.js';
import {
  type AppliedState,
  emptyState,
  replacingInSlot,
  sameShares,
  trafficOf,
  versionIn,
  viewOfState,
  withoutVersion,
  withVersion,
} from '../applied-state.js';
import { type CommandRunner, runOrFail } from '../shell-command.js';
import { slotFor } from '../slots.js';
import type { MaintenanceOptions, Target, TargetView } from '../target.js';
import { mergeDescribed, parseDescribed } from './describe-output.js';
import type { StateStore } from './record-file.js';
import { type RenderSettings, renderCommand } from './render.js';
import { type TrafficChange, trafficVariables } from './traffic.js';
import {
  deploymentVariables,
  headerRouteVariables,
  maintenanceVariables,
  type Placed,
  startVariables,
  stopVariables,
  type Variables,
} from './variables.js';

export interface CommandTargetOptions {
  config: CommandConfig;
  info: DeploymentInfo;
  /** canary and blueGreen run versions side by side in slots; rolling and recreate replace in place. */
  sideBySide: boolean;
  store: StateStore;
  run: CommandRunner;
  settings: RenderSettings;
  log: (line: string) => void;
}

export class CommandTarget implements Target {
  constructor(private readonly options: CommandTargetOptions) {}

  private get where(): string {
    const { info } = this.options;
    return `${info.service} (${info.environment})`;
  }

  async describe(): Promise<TargetView> {
    const { config } = this.options;
    return viewOfState(await this.current(), config.address ?? '', config.canaryHeader);
  }

  async ensureVersion(
    version: string,
    instances: number,
    options: { asRunning?: boolean } = {},
  ): Promise<void> {
    const { config, info, sideBySide, store } = this.options;
    const state = await this.current();
    const slot = sideBySide
      ? slotFor(state, { version, previous: previousOf(info), slots: config.colors, where: this.where })
      : '';
    const placed = { version, slot };
    const variables = startVariables(info, placed, instances, sideBySide);
    const startedWith = digest(config.start, variables);
    const known = versionIn(state, version);
    if (known?.status === 'running' && known.slot === slot) {
      if (options.asRunning && known.instances === instances) return;
      if (!options.asRunning && known.startedWith === startedWith) return;
    }
    const entry = { version, slot, instances, status: 'starting' as const, startedWith };
    const starting = replacingInSlot(state, entry);
    await store.write(starting);
    const where = slot ? ` in ${slot}` : ' in place';
    try {
      await this.run(
        'start',
        variables,
        `start ${version}${where} with ${instances} instance${instances === 1 ? '' : 's'}`,
      );
    } catch (thrown) {
      await store.write(withVersion(starting, { ...entry, status: 'failed' }));
      throw thrown;
    }
    await store.write(withVersion(starting, { ...entry, status: 'running' }));
  }

  async stopVersion(version: string, options: { force?: boolean } = {}): Promise<void> {
    const { config, info, sideBySide, store } = this.options;
    const state = await this.current();
    const known = versionIn(state, version);
    if (!known) return;
    const share = trafficOf(state, version);
    if (share > 0 && !options.force) {
      throw new GantryError(
        'GANTRY_TARGET',
        `cannot stop ${version} of ${this.where}: it still gets ${Math.round(share)}% of the traffic`,
        { where: this.where, hint: 'move its traffic to another version first' },
      );
    }
    if (config.stop) {
      await this.run(
        'stop',
        stopVariables(info, known, sideBySide),
        `stop ${version}${known.slot ? ` in ${known.slot}` : ''}`,
      );
    } else {
      this.options.log(`target.command has no stop command: ${version} leaves the traffic and keeps running`);
    }
    await store.write(withoutVersion(state, version));
  }

  async setTraffic(sharesPct: Readonly<Record<string, number>>): Promise<void> {
    const { config, info, sideBySide, store } = this.options;
    const state = await this.current();
    const wanted: Record<string, number> = {};
    for (const [version, share] of Object.entries(sharesPct)) {
      const known = versionIn(state, version);
      if (share === 0 && !known) continue;
      if (share > 0 && known?.status !== 'running') {
        throw new GantryError(
          'GANTRY_TARGET',
          `cannot send ${share}% of ${this.where}'s traffic to ${version}: it is ${known ? known.status : 'not running'}`,
          { where: this.where, hint: 'start the version first (its start command must succeed)' },
        );
      }
      if (share > 0) wanted[version] = share;
    }
    if (sameShares(state.weights, wanted)) return;
    // In place, one version runs at a time and gets whatever reaches the service: nothing to route.
    if (sideBySide) {
      const change: TrafficChange = {
        info,
        state,
        sharesPct: wanted,
        colors: config.colors,
        canSplit: config.setTraffic !== undefined,
      };
      const { operation, variables, purpose } = trafficVariables(change);
      await this.run(operation, variables, purpose);
    }
    await store.write({ ...state, weights: wanted });
  }

  async setHeaderRoute(version: string | null): Promise<void> {
    const { config, info, sideBySide, store } = this.options;
    const state = await this.current();
    if (state.headerRoute === version) return;
    const known = version === null ? undefined : versionIn(state, version);
    if (version !== null && !known) {
      throw new GantryError(
        'GANTRY_TARGET',
        `cannot route the canary header to ${version}: it is not running (${this.where})`,
        {
          where: this.where,
          hint: 'route the header after the step that starts the version',
        },
      );
    }
    const routed: Placed | null = known ? { version: known.version, slot: known.slot } : null;
    const purpose = routed
      ? `route requests with ${config.canaryHeader} to ${routed.version}`
      : 'stop routing by the canary header';
    await this.run(
      'headerRoute',
      headerRouteVariables(info, routed, config.canaryHeader, sideBySide),
      purpose,
    );
    await store.write({ ...state, headerRoute: version });
  }

  async setMaintenance(enabled: boolean, options: MaintenanceOptions = {}): Promise<void> {
    const { info, store } = this.options;
    const state = await this.current();
    const wanted = { enabled, ...options };
    if (JSON.stringify(state.maintenance) === JSON.stringify(wanted)) return;
    await this.run(
      'maintenance',
      maintenanceVariables(info, enabled, options),
      `turn maintenance mode ${enabled ? 'on' : 'off'}`,
    );
    await store.write({ ...state, maintenance: wanted });
  }

  /** The record, with the `describe` command's report over it when the plan has one. */
  private async current(): Promise<AppliedState> {
    const { config, info, store } = this.options;
    const record = (await store.read()) ?? this.firstRecord();
    if (!config.describe) return record;
    const output = await this.run('describe', deploymentVariables(info), 'describe the data plane');
    return mergeDescribed(record, parseDescribed(output, 'target.command.describe'));
  }

  /**
   * Nothing recorded yet: in place, the version serving before this deployment is the one in the slot.
   * Side by side its slot is unknown, and slotFor refuses to guess.
   */
  private firstRecord(): AppliedState {
    const { config, info, sideBySide } = this.options;
    const previous = previousOf(info);
    if (sideBySide || !previous) return emptyState();
    return {
      ...emptyState(),
      versions: [{ version: previous, slot: '', instances: config.instances, status: 'running' }],
      weights: { [previous]: 100 },
    };
  }

  private async run(operation: CommandOperation, variables: Variables, purpose: string): Promise<string> {
    const { config, run, settings } = this.options;
    const template = config[operation];
    const source = `target.command.${operation}`;
    if (template === undefined) {
      throw new GantryError('GANTRY_TARGET', `${purpose}: the plan defines no ${source}`, {
        where: source,
        hint: `add \`${operation}:\` under target.command (see docs/targets.md)`,
      });
    }
    const command = renderCommand(
      { source, template, variables, purpose: `${source}: ${purpose}` },
      settings,
    );
    return runOrFail(run, command);
  }
}

/** The version this deployment replaces, or null (a first deployment, or a redeploy of the same version). */
export function previousOf(info: DeploymentInfo): string | null {
  return info.previousVersion && info.previousVersion !== info.version ? info.previousVersion : null;
}

/** How a version was started, without secret values: the template and the variables. */
function digest(template: string, variables: Variables): string {
  return createHash('sha256')
    .update(JSON.stringify([template, variables]))
    .digest('hex')
    .slice(0, 16);
}
