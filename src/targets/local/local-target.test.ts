import { describe, expect, it } from 'vitest';
import { GantryError } from '../../errors.js';
import { localTarget } from '../../plan/schema/target.js';
import type { ServiceState, VersionSpec, VersionState } from '../../proxy/api.js';
import { LocalTarget } from './local-target.js';
import type { ProxyAdmin } from './proxy-admin.js';

/** A proxy in memory that records the calls that would change it. */
function fakeProxy() {
  const calls: string[] = [];
  let state: ServiceState | undefined;
  const service = () => {
    if (!state)
      throw new GantryError('GANTRY_USAGE', 'service "shop.production" is not declared', {
        context: { httpStatus: 404 },
      });
    return state;
  };
  const version = (
    name: string,
    spec: VersionSpec,
    status: VersionState['status'] = 'running',
  ): VersionState => ({
    version: name,
    status,
    weight: 0,
    canary: false,
    spec: {
      command: spec.command,
      instances: spec.instances,
      env: spec.env ?? {},
      cwd: spec.cwd ?? null,
      health: {
        expectStatus: 200,
        intervalMs: 1000,
        timeoutMs: 1000,
        startupTimeoutMs: 30_000,
        unhealthyThreshold: 2,
        ...spec.health,
      },
      memoryLimitBytes: spec.memoryLimitBytes ?? null,
      drain: { drainTimeoutMs: 30_000, killAfterMs: 10_000, ...spec.drain },
    },
    instances: Array.from({ length: spec.instances }, (_, index) => ({
      index,
      id: `${name}-${index}`,
      status: 'healthy',
      pid: 1000 + index,
      port: 3000 + index,
      inflight: 0,
      restarts: 0,
      startedAtMs: 0,
      adopted: false,
      lastHealthError: null,
      logPath: '',
    })),
    error: null,
  });
  const admin: ProxyAdmin = {
    async getService() {
      return structuredClone(service());
    },
    async declareService(name, declaration) {
      calls.push(`declare ${name} ${declaration.listen}`);
      state ??= {
        name,
        listen: declaration.listen,
        address: declaration.listen,
        sticky: false,
        stickyCookie: 'gantry_version',
        canaryHeader: 'X-Gantry-Canary',
        canaryVersion: null,
        maintenance: { enabled: false, retryAfterSeconds: 300, message: null },
        weights: {},
        versions: [],
      };
      return structuredClone(state);
    },
    async startVersion(_service, name, spec) {
      calls.push(`start ${name} ×${spec.instances}`);
      const started = version(name, spec);
      service().versions = [...service().versions.filter((v) => v.version !== name), started];
      return started;
    },
    async scaleVersion(_service, name, instances) {
      calls.push(`scale ${name} ×${instances}`);
      const found = service().versions.find((v) => v.version === name) as VersionState;
      const { command, env, cwd, health } = found.spec;
      Object.assign(found, version(name, { command, env, health, instances, cwd: cwd ?? undefined }));
      return found;
    },
    async stopVersion(_service, name, options) {
      calls.push(`stop ${name}${options?.force ? ' (force)' : ''}`);
      service().versions = service().versions.filter((v) => v.version !== name);
      delete service().weights[name];
    },
    async setWeights(_service, weights) {
      calls.push(`weights ${JSON.stringify(weights)}`);
      service().weights = { ...weights };
      return service();
    },
    async setCanary(_service, name) {
      calls.push(`canary ${name}`);
      service().canaryVersion = name;
      return service();
    },
    async setMaintenance(_service, settings) {
      calls.push(`maintenance ${settings.enabled}`);
      service().maintenance.enabled = settings.enabled;
      return service();
    },
  };
  return { admin, calls, forget: () => (state = undefined), state: () => state };
}

/** `${version}` as a plan writes it. */
const VERSION_VARIABLE = ['$', '{version}'].join('');

function target(proxy = fakeProxy(), config: Record<string, unknown> = {}) {
  const parsed = localTarget.parse({
    run: 'node server.js',
    listen: '127.0.0.1:8080',
    instances: 2,
    ...config,
  });
  return {
    proxy,
    target: new LocalTarget({
      admin: proxy.admin,
      serviceName: 'shop.production',
      config: parsed,
      planDir: '/srv/shop',
      render: (value, version) => JSON.parse(JSON.stringify(value).replaceAll(VERSION_VARIABLE, version)),
    }),
  };
}

describe('LocalTarget', () => {
  it('declares the service, then starts a version from the plan with its own environment', async () => {
    const { target: t, proxy } = target(fakeProxy(), {
      cwd: `releases/${VERSION_VARIABLE}`,
      env: { MODE: 'prod' },
      versions: { v2: { env: { FEATURE: 'on' } } },
    });
    await t.ensureVersion('v2', 2);
    expect(proxy.calls).toEqual(['declare shop.production 127.0.0.1:8080', 'start v2 ×2']);
    const started = proxy.state()?.versions[0]?.spec;
    expect(started).toMatchObject({
      command: 'node server.js',
      cwd: '/srv/shop/releases/v2',
      env: { MODE: 'prod', FEATURE: 'on' },
      health: { path: '/health', intervalMs: 1000, timeoutMs: 2000, startupTimeoutMs: 30_000 },
      drain: { drainTimeoutMs: 10_000 },
    });
  });

  it('asks for nothing when the version already runs as wanted, and scales when only the count differs', async () => {
    const { target: t, proxy } = target();
    await t.ensureVersion('v2', 2);
    await t.ensureVersion('v2', 2);
    await t.ensureVersion('v2', 3);
    expect(proxy.calls.slice(1)).toEqual(['start v2 ×2', 'scale v2 ×3']);
  });

  it('refuses a running version started from another command, unless told to take it as it runs', async () => {
    const proxy = fakeProxy();
    await target(proxy, { run: 'node old.js' }).target.ensureVersion('v1', 2);
    const { target: t } = target(proxy);
    await expect(t.ensureVersion('v1', 2)).rejects.toMatchObject({ code: 'GANTRY_TARGET' });
    await t.ensureVersion('v1', 4, { asRunning: true });
    expect(proxy.calls.at(-1)).toBe('scale v1 ×4');
  });

  it('sets traffic shares, leaving out stopped versions with no share, and skips a split already in place', async () => {
    const { target: t, proxy } = target();
    await t.ensureVersion('v2', 2);
    await t.setTraffic({ v1: 0, v2: 100 });
    await t.setTraffic({ v1: 0, v2: 100 });
    expect(proxy.calls.filter((c) => c.startsWith('weights'))).toEqual(['weights {"v2":100}']);
    expect((await t.describe()).versions).toEqual([
      { version: 'v2', status: 'running', instances: 2, healthyInstances: 2, trafficPct: 100 },
    ]);
  });

  it('refuses to send traffic to a version that is not running, saying which', async () => {
    const { target: t } = target();
    await expect(t.setTraffic({ v1: 90, v3: 10 })).rejects.toThrow(
      "cannot send 90% of shop.production's traffic to v1: it is not running on gantry-proxy",
    );
  });

  it('treats stopping a version that is not there as done', async () => {
    const { target: t, proxy } = target();
    await t.stopVersion('v9');
    expect(proxy.calls).toEqual(['declare shop.production 127.0.0.1:8080']);
  });

  it('declares the service again when the proxy lost it', async () => {
    const { target: t, proxy } = target();
    await t.ensureVersion('v2', 1);
    proxy.forget();
    await t.setMaintenance(true);
    expect(proxy.calls.slice(-2)).toEqual(['declare shop.production 127.0.0.1:8080', 'maintenance true']);
    await expect(t.setHeaderRoute('v2')).rejects.toThrow(
      'cannot route the canary header to v2: it is not running on gantry-proxy (shop.production)',
    );
  });
});
