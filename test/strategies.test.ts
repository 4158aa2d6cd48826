// Each strategy end to end on the local target: a real gantry-proxy, real sample-app processes, real HTTP.
// A healthy new version takes all the traffic, the previous one is stopped, and users under steady load
// never see a failed request; a failing check rolls traffic back to the previous version.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantry, gantryJson } from './support/cli.js';
import { freePort, samplePlan } from './support/local-plans.js';
import { type ProxyProcess, startProxy } from './support/proxy-harness.js';
import { fire, steadyLoad } from './support/proxy-load.js';
import { type Workspace, workspace } from './support/workspace.js';

let ws: Workspace;
let proxy: ProxyProcess;

beforeAll(async () => {
  ws = workspace('gantry-strategies-');
  proxy = await startProxy(ws.home);
});

afterAll(async () => {
  await proxy?.stop();
  ws?.remove();
});

const STRATEGIES: Record<string, string> = {
  canary: `  canary:
    steps:
      - setWeight: 20
      - wait: 1s
      - headerRoute: true
      - http: { url: "http://127.0.0.1:PORT/health", headers: { X-Gantry-Canary: "1" }, expect: { json: { version: "\${version}" } } }
      - setWeight: 60
      - wait: 1s`,
  blueGreen: `  blueGreen:
    prePromotion:
      - http: { url: "http://127.0.0.1:PORT/health", headers: { X-Gantry-Canary: "1" }, expect: { json: { version: "\${version}" } } }
    keepPrevious: 1s`,
  rolling: `  rolling: { batchSize: 1, betweenBatches: [{ wait: 300ms }] }`,
  recreate: `  recreate:
    checks:
      - http: { url: "http://127.0.0.1:PORT/health", headers: { X-Gantry-Canary: "1" }, expect: { json: { version: "\${version}" } } }`,
};

async function deploy(plan: string, version: string) {
  return gantry(['deploy', plan, '--version', version, '--wait'], { home: ws.home, timeoutMs: 90_000 });
}

async function lastDeployment(service: string) {
  const history = await gantryJson(['history', '--service', service], { home: ws.home });
  return history.json[0];
}

describe.each(Object.entries(STRATEGIES))('%s on the local target', (strategy, block) => {
  it('moves all traffic to a healthy new version with no failed request, and stops the previous one', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const service = `healthy-${strategy.toLowerCase()}`;
    const instances = strategy === 'rolling' ? 4 : 2;
    const plan = ws.writePlan(
      `${service}.yaml`,
      samplePlan({ service, port, instances, strategy: block.replaceAll('PORT', String(port)) }),
    );
    const first = await deploy(plan, 'v1');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const url = `http://127.0.0.1:${port}`;
    expect((await fire(url, 20)).byVersion).toEqual({ v1: 20 });

    // Recreate takes the service down behind the maintenance page: only 503s from it are expected there.
    const load = steadyLoad(url, {
      ratePerSec: 40,
      ok: strategy === 'recreate' ? (status) => status < 300 || status === 503 : undefined,
    });
    const second = await deploy(plan, 'v2');
    const during = await load.stop();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(during.failures).toEqual([]);
    expect(during.sent).toBeGreaterThan(40);

    expect((await fire(url, 40)).byVersion).toEqual({ v2: 40 });
    const service_ = await proxy.client.getService(`${service}.test`);
    expect(service_.versions.map((v) => v.version)).toEqual(['v2']);
    expect(service_.canaryVersion).toBeNull();
    expect(service_.maintenance.enabled).toBe(false);
    expect((await lastDeployment(service)).status).toBe('succeeded');
  });
});

describe('rollback on the local target', () => {
  it('puts all traffic back on the previous version and stops the new one when a check fails', {
    timeout: 120_000,
  }, async () => {
    const port = await freePort();
    const plan = (expected: string) =>
      samplePlan({
        service: 'failing-check',
        port,
        strategy: `  canary:
    steps:
      - setWeight: 30
      - wait: 1s
      - headerRoute: true
      - http: { url: "http://127.0.0.1:${port}/health", headers: { X-Gantry-Canary: "1" }, expect: { json: { version: ${expected} } } }`,
      });
    const file = ws.writePlan('failing-check.yaml', plan('v1'));
    const initial = await deploy(file, 'v1');
    expect(initial.code, initial.stdout + initial.stderr).toBe(0);
    const url = `http://127.0.0.1:${port}`;
    const load = steadyLoad(url, { ratePerSec: 40 });
    const failed = await deploy(ws.writePlan('failing-check-v2.yaml', plan('nope')), 'v2');
    const during = await load.stop();
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('rollback[0] succeeded');
    expect(during.failures).toEqual([]);
    expect(during.byVersion.v2).toBeGreaterThan(0);
    expect((await fire(url, 40)).byVersion).toEqual({ v1: 40 });
    const state = await proxy.client.getService('failing-check.test');
    expect(state.versions.map((v) => v.version)).toEqual(['v1']);
    expect(state.canaryVersion).toBeNull();
    const deployment = await lastDeployment('failing-check');
    expect(deployment.status).toBe('rolled_back');
  });
});
