import { describe, expect, it } from 'vitest';
import type { DeploymentState } from '../deployment/state.js';
import { initialState } from '../deployment/state.js';
import type { Target, TargetView } from '../targets/target.js';
import { restoreTrafficHandler } from './restore-traffic.js';
import { scaleVersionHandler } from './scale-version.js';
import { setWeightHandler } from './set-weight.js';
import type { StepContext } from './step.js';
import { stopVersionHandler } from './stop-version.js';

/** A target that records every call, with versions and instance counts as given. */
function fakeTarget(log: string[], counts: Record<string, number> = {}): Target {
  const view = (): TargetView => ({
    address: '127.0.0.1:8080',
    versions: Object.entries(counts).map(([version, instances]) => ({
      version,
      status: 'running',
      instances,
      healthyInstances: instances,
      trafficPct: 0,
    })),
    headerRoute: null,
    canaryHeader: 'X-Gantry-Canary',
    maintenance: false,
  });
  return {
    describe: async () => view(),
    ensureVersion: async (version, instances, options) => {
      log.push(`ensure ${version} ×${instances}${options?.asRunning ? ' as running' : ''}`);
      counts[version] = instances;
    },
    stopVersion: async (version, options) => {
      log.push(`stop ${version}${options?.force ? ' (force)' : ''}`);
      delete counts[version];
    },
    setTraffic: async (shares) => void log.push(`traffic ${JSON.stringify(shares)}`),
    setHeaderRoute: async (version) => void log.push(`header ${version}`),
    setMaintenance: async (enabled) => void log.push(`maintenance ${enabled}`),
  };
}

function context(
  log: string[],
  target: Target,
  options: { previousVersion?: string | null; version?: string; state?: Partial<DeploymentState> } = {},
): StepContext {
  const state = { ...initialState('d-1'), ...options.state };
  return {
    deployment: {
      id: 'd-1',
      service: 'shop',
      environment: 'production',
      version: options.version ?? 'v2',
      previousVersion: options.previousVersion === undefined ? 'v1' : options.previousVersion,
      requestedBy: 'alice',
    },
    step: { id: 'strategy[1]', track: 'main', index: 1, section: 'strategy', kind: 'x', name: 'x', spec: {} },
    services: { notifications: { send: async () => [] } as never, target },
    state: () => state,
    record: async (type: string, data: Record<string, unknown>) => {
      log.push(`journal ${type} ${JSON.stringify(data)}`);
    },
    log: () => {},
    waitFor: async (options: { until?: Date }) => {
      log.push(`wait until ${options.until?.toISOString()}`);
      return undefined;
    },
  } as unknown as StepContext;
}

describe('traffic steps', () => {
  it('journal the change before making it and the split after: setWeight', async () => {
    const log: string[] = [];
    const result = await setWeightHandler.run(context(log, fakeTarget(log)), { setWeight: 25 });
    expect(result.ok).toBe(true);
    expect(log).toEqual([
      'journal target.changing {"change":"send 75% to v1, 25% to v2"}',
      'traffic {"v1":75,"v2":25}',
      'journal weight.set {"weightPct":25,"sharesPct":{"v1":75,"v2":25}}',
    ]);
  });

  it('send all traffic to the new version when there is no previous one', async () => {
    const log: string[] = [];
    await setWeightHandler.run(context(log, fakeTarget(log), { previousVersion: null }), { setWeight: 5 });
    expect(log).toContain('traffic {"v2":100}');
    expect(log.at(-1)).toBe('journal weight.set {"weightPct":100,"sharesPct":{"v2":100}}');
  });

  it('bring the previous version back to full size before giving it all traffic, on rollback', async () => {
    const log: string[] = [];
    await restoreTrafficHandler.run(context(log, fakeTarget(log, { v1: 1, v2: 3 })), {
      restoreTraffic: { instances: 4 },
    });
    expect(log.slice(1)).toEqual([
      'ensure v1 ×4 as running',
      'header null',
      'traffic {"v1":100,"v2":0}',
      'journal weight.set {"weightPct":0,"sharesPct":{"v1":100,"v2":0}}',
    ]);
  });

  it('keep the previous version warm until its time after full traffic, then drain it', async () => {
    const log: string[] = [];
    const fullTrafficAt = new Date(Date.now() + 60_000).toISOString();
    await stopVersionHandler.run(
      context(log, fakeTarget(log, { v1: 2, v2: 2 }), { state: { fullTrafficAt } }),
      { stopVersion: { version: 'previous', keepWarm: 30_000 } },
    );
    expect(log).toEqual([
      `wait until ${new Date(Date.parse(fullTrafficAt) + 30_000).toISOString()}`,
      'journal target.changing {"change":"drain and stop v1"}',
      'stop v1',
      'journal version.stopped {"version":"v1"}',
    ]);
  });

  it('never stop, on rollback, a version that was already serving before a redeploy of it', async () => {
    const log: string[] = [];
    const result = await stopVersionHandler.run(
      context(log, fakeTarget(log, { v2: 2 }), { previousVersion: 'v2' }),
      { stopVersion: { version: 'new' } },
    );
    expect(result).toEqual({
      ok: true,
      result: { stopped: null, reason: 'v2 was serving before this deployment' },
    });
    expect(log).toEqual([]);
  });

  it('start new instances before giving them traffic, and take traffic away before draining old ones', async () => {
    const log: string[] = [];
    const target = fakeTarget(log, { v1: 4 });
    await scaleVersionHandler.run(context(log, target), {
      scaleVersion: { version: 'new', instances: 1, of: 4 },
    });
    await scaleVersionHandler.run(context(log, target), {
      scaleVersion: { version: 'previous', instances: 3, of: 4 },
    });
    expect(log.filter((line) => !line.startsWith('journal'))).toEqual([
      'ensure v2 ×1',
      'traffic {"v2":20,"v1":80}',
      'traffic {"v2":25,"v1":75}',
      'ensure v1 ×3 as running',
    ]);
  });
});
